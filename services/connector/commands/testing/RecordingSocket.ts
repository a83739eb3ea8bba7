import type { Readable } from 'node:stream';
import { Boom } from '@hapi/boom';
import { buffer } from 'node:stream/consumers';
import {
  generateWAMessage,
  type AnyMessageContent,
  type GroupMetadata,
  type MiscMessageGenerationOptions,
  type NewsletterMetadata,
  type WABusinessProfile,
  type WAMediaUpload,
} from '@whiskeysockets/baileys';
import type { WaSocketPort } from '../../drivers/Driver.js';

/** One call the code under test made on the socket. */
export interface RecordedCall {
  method: string;
  args: unknown[];
}

type Method = (...args: never[]) => unknown;

/** Every method a `RecordingSocket` answers, with the optional ones Baileys' socket also has. */
const METHODS = [
  'sendMessage',
  'onWhatsApp',
  'chatModify',
  'readMessages',
  'star',
  'updateBlockStatus',
  'fetchBlocklist',
  'profilePictureUrl',
  'fetchStatus',
  'updateProfileName',
  'updateProfileStatus',
  'updateProfilePicture',
  'getBusinessProfile',
  'updateBussinesProfile',
  'groupCreate',
  'groupMetadata',
  'groupUpdateSubject',
  'groupUpdateDescription',
  'groupSettingUpdate',
  'groupLeave',
  'groupParticipantsUpdate',
  'groupInviteCode',
  'groupRevokeInvite',
  'sendPresenceUpdate',
  'addLabel',
  'addChatLabel',
  'removeChatLabel',
  'newsletterCreate',
  'groupMemberAddMode',
  'groupJoinApprovalMode',
  'newsletterUpdatePicture',
] as const;

export const TEST_GROUP_JID = '120363025246125486@g.us';
export const TEST_NEWSLETTER_JID = '120363144038483540@newsletter';

/**
 * A test double of the WhatsApp socket (the one boundary tests fake): it records every call
 * and answers with Baileys-shaped values. `sendMessage` builds the message with Baileys' own
 * `generateWAMessage`, so content the code under test produces must be valid for Baileys;
 * media streams are really encrypted and "uploaded" (their bytes recorded). Like the
 * simulator, numbers starting with 000 are not on WhatsApp.
 */
export class RecordingSocket {
  readonly calls: RecordedCall[] = [];
  /** Plaintext bytes of every media stream sent, in order. */
  readonly uploads: Buffer[] = [];
  readonly port: WaSocketPort;

  constructor(
    readonly meJid: string,
    overrides: Partial<Record<(typeof METHODS)[number], Method | undefined>> = {},
  ) {
    const defaults = this.defaults();
    const port: Record<string, Method> = {};
    for (const name of METHODS) {
      if (name in overrides && overrides[name] === undefined) continue;
      const implementation = (overrides[name] ?? defaults[name]) as (...args: unknown[]) => unknown;
      port[name] = ((...args: unknown[]) => {
        this.calls.push({ method: name, args });
        return implementation(...args);
      }) as Method;
    }
    this.port = port as unknown as WaSocketPort;
  }

  /** The calls made to one method. */
  callsTo(method: string): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  private defaults(): Record<(typeof METHODS)[number], Method> {
    const me = this.meJid;
    const none = async (): Promise<void> => undefined;
    return {
      sendMessage: (async (jid: string, content: AnyMessageContent, options: MiscMessageGenerationOptions = {}) => {
        // Like the simulator: numbers starting with 000 are not on WhatsApp.
        if (jid.startsWith('000')) throw new Boom('item-not-found', { statusCode: 404 });
        // Like Baileys: a group's disappearing-message setting is a query, not a message.
        if ('disappearingMessagesInChat' in content && jid.endsWith('@g.us')) return undefined;
        const plain = await this.capturePlaintext(content);
        return generateWAMessage(jid, plain, {
          ...options,
          userJid: me,
          upload: async () => ({ mediaUrl: 'https://mmg.whatsapp.net/test', directPath: '/v/t62.7118-24/test' }),
        });
      }) as Method,
      onWhatsApp: (async (...phones: string[]) =>
        phones
          .filter((phone) => !phone.startsWith('000'))
          .map((phone) => ({ jid: `${phone}@s.whatsapp.net`, exists: true }))) as Method,
      chatModify: none,
      readMessages: none,
      star: none,
      updateBlockStatus: none,
      fetchBlocklist: (async () => []) as Method,
      profilePictureUrl: (async () => 'https://pps.whatsapp.net/v/t61/profile.jpg') as Method,
      fetchStatus: (async (...jids: string[]) => jids.map((id) => ({ id, status: { status: 'Available', setAt: new Date(1_700_000_000_000) } }))) as Method,
      updateProfileName: none,
      updateProfileStatus: none,
      updateProfilePicture: (async (_jid: string, content: WAMediaUpload) => {
        this.uploads.push(await bytesOf(content));
      }) as Method,
      getBusinessProfile: (async (jid: string) => businessProfile(jid)) as Method,
      updateBussinesProfile: none,
      groupCreate: (async (subject: string, participants: string[]) => groupMetadata(TEST_GROUP_JID, me, subject, participants)) as Method,
      groupMetadata: (async (jid: string) => groupMetadata(jid, me, 'Team', ['15550000002@s.whatsapp.net'])) as Method,
      groupUpdateSubject: none,
      groupUpdateDescription: none,
      groupSettingUpdate: none,
      groupLeave: none,
      groupParticipantsUpdate: (async (_jid: string, participants: string[]) =>
        participants.map((jid) => ({ status: jid.startsWith('000') ? '404' : '200', jid, content: { tag: 'participant', attrs: {} } }))) as Method,
      groupInviteCode: (async () => 'GZ3xTq4LdKq1') as Method,
      groupRevokeInvite: (async () => 'Hn8pQw2ZrTe5') as Method,
      sendPresenceUpdate: none,
      addLabel: none,
      addChatLabel: none,
      removeChatLabel: none,
      newsletterCreate: (async (name: string, description?: string) => newsletter(name, description)) as Method,
      groupMemberAddMode: none,
      groupJoinApprovalMode: none,
      newsletterUpdatePicture: (async (_jid: string, content: WAMediaUpload) => {
        this.uploads.push(await bytesOf(content));
      }) as Method,
    };
  }

  /** Reads a media stream of the content (recording its bytes) and hands Baileys a buffer instead. */
  private async capturePlaintext(content: AnyMessageContent): Promise<AnyMessageContent> {
    for (const key of ['image', 'video', 'audio', 'document', 'sticker'] as const) {
      const media = (content as Record<string, unknown>)[key];
      if (media !== undefined && media !== null && typeof media === 'object' && 'stream' in media) {
        const bytes = await bytesOf(media as WAMediaUpload);
        this.uploads.push(bytes);
        return { ...content, [key]: bytes } as AnyMessageContent;
      }
    }
    return content;
  }
}

async function bytesOf(upload: WAMediaUpload): Promise<Buffer> {
  if (Buffer.isBuffer(upload)) return upload;
  if ('stream' in upload) return buffer(upload.stream as Readable);
  throw new Error('the test socket does not fetch URLs');
}

function groupMetadata(id: string, me: string, subject: string, participants: string[]): GroupMetadata {
  return {
    id,
    subject,
    owner: me,
    subjectOwner: me,
    subjectTime: 1_700_000_000,
    creation: 1_700_000_000,
    desc: undefined,
    restrict: false,
    announce: false,
    addressingMode: 'pn' as GroupMetadata['addressingMode'],
    size: participants.length + 1,
    participants: [{ id: me, admin: 'superadmin' }, ...participants.map((jid) => ({ id: jid, admin: null }))],
  };
}

function businessProfile(jid: string): WABusinessProfile {
  return {
    wid: jid,
    description: 'We sell bikes',
    email: 'shop@example.com',
    website: ['https://bikes.example.com'],
    category: 'Shopping & Retail',
    address: '1 Main St',
    business_hours: {
      timezone: 'Europe/Berlin',
      business_config: [{ day_of_week: 'mon', mode: 'specific_hours', open_time: 540, close_time: 1080 }],
    },
  };
}

function newsletter(name: string, description?: string): NewsletterMetadata {
  return {
    id: TEST_NEWSLETTER_JID,
    name,
    ...(description === undefined ? {} : { description }),
    invite: '0029VaBcDeF',
    creation_time: 1_700_000_000,
    subscribers: 0,
    verification: 'UNVERIFIED',
    mute_state: 'OFF',
  };
}
