import { Boom } from '@hapi/boom';
import {
  chatModificationToAppPatch,
  generateMessageIDV2,
  generateWAMessage,
  getStream,
  isJidGroup,
  proto,
  toBuffer,
  WA_DEFAULT_EPHEMERAL,
  type ChatModification,
  type NewsletterMetadata,
  type WABusinessProfile,
  type WAMediaUploadFunction,
} from '@whiskeysockets/baileys';
import type { RpcRequest, RpcResults } from '../../../simulator/index.js';
import type { Logger } from '../../../shared/index.js';
import type { WaSocketPort } from '../Driver.js';
import { groupMetadataOf } from './toBaileysEvents.js';

/** What the socket needs from its session. */
export interface SocketContext {
  /** `creds.me.id` of the linked account. */
  meId(): string;
  /** Runs one operation on the simulator; failures arrive as Boom errors, like Baileys' IQ errors. */
  rpc<R extends RpcRequest>(request: R): Promise<RpcResults[R['op']]>;
  /** Baileys' media upload step, against the simulator's media server. */
  upload: WAMediaUploadFunction;
  logger: Logger;
}

/**
 * The socket port against the simulator. Messages are built by Baileys' own `generateWAMessage`
 * (media encrypted and uploaded through `upload`), chat modifications by its own
 * `chatModificationToAppPatch`, so what the network records is exactly what Baileys would send.
 */
export function simulatorSocket(context: SocketContext): WaSocketPort {
  const { rpc } = context;
  const appPatch = async (mod: ChatModification, jid: string): Promise<void> => {
    const patch = chatModificationToAppPatch(mod, jid);
    const value = Buffer.from(proto.SyncActionValue.encode(proto.SyncActionValue.fromObject(patch.syncAction)).finish()).toString('base64');
    await rpc({ op: 'appPatch', index: patch.index, value, operation: patch.operation === proto.SyncdMutation.SyncdOperation.REMOVE ? 'remove' : 'set' });
  };
  return {
    sendMessage: async (jid, content, options = {}) => {
      if (
        typeof content === 'object' &&
        'disappearingMessagesInChat' in content &&
        typeof content.disappearingMessagesInChat !== 'undefined' &&
        isJidGroup(jid)
      ) {
        const setting = content.disappearingMessagesInChat;
        const expiration = typeof setting === 'boolean' ? (setting ? WA_DEFAULT_EPHEMERAL : 0) : setting;
        await rpc({ op: 'groupToggleEphemeral', jid, expiration });
        return undefined;
      }
      const userJid = context.meId();
      const message = await generateWAMessage(jid, content, {
        logger: context.logger,
        userJid,
        upload: context.upload,
        messageId: generateMessageIDV2(userJid),
        ...options,
      });
      const encoded = Buffer.from(proto.WebMessageInfo.encode(message).finish()).toString('base64');
      await rpc({ op: 'relay', jid, message: encoded });
      return message;
    },
    onWhatsApp: async (...phoneNumbers) => rpc({ op: 'onWhatsApp', phones: phoneNumbers }),
    chatModify: (mod, jid) => appPatch(mod, jid),
    readMessages: async (keys) => {
      await rpc({
        op: 'readMessages',
        keys: keys.filter((key) => key.remoteJid && key.id).map((key) => ({ remoteJid: key.remoteJid!, id: key.id!, participant: key.participant ?? null })),
      });
    },
    star: (jid, messages, star) => appPatch({ star: { messages, star } }, jid),
    updateBlockStatus: async (jid, action) => {
      await rpc({ op: 'updateBlockStatus', jid, action });
    },
    fetchBlocklist: async () => rpc({ op: 'fetchBlocklist' }),
    profilePictureUrl: async (jid) => rpc({ op: 'profilePictureUrl', jid }),
    fetchStatus: async (...jids) => {
      const list = await rpc({ op: 'fetchStatus', jids });
      return list.map((entry) => ({ id: entry.id, status: { status: entry.status.status, setAt: new Date(entry.status.setAt) } }));
    },
    updateProfileName: (name) => appPatch({ pushNameSetting: name }, ''),
    updateProfileStatus: async (status) => {
      await rpc({ op: 'updateProfileStatus', status });
    },
    updateProfilePicture: async (jid, content) => {
      const { stream } = await getStream(content);
      const image = (await toBuffer(stream)).toString('base64');
      await rpc({ op: 'updateProfilePicture', jid, image });
    },
    getBusinessProfile: async (jid): Promise<WABusinessProfile | void> => (await rpc({ op: 'getBusinessProfile', jid })) ?? undefined,
    updateBussinesProfile: async (args) => rpc({ op: 'updateBusinessProfile', profile: { ...args } }),
    groupCreate: async (subject, participants) => groupMetadataOf(await rpc({ op: 'groupCreate', subject, participants })),
    groupMetadata: async (jid) => groupMetadataOf(await rpc({ op: 'groupMetadata', jid })),
    groupUpdateSubject: async (jid, subject) => {
      await rpc({ op: 'groupUpdateSubject', jid, subject });
    },
    groupUpdateDescription: async (jid, description) => {
      await rpc({ op: 'groupUpdateDescription', jid, description: description ?? null });
    },
    groupSettingUpdate: async (jid, setting) => {
      await rpc({ op: 'groupSettingUpdate', jid, setting });
    },
    groupLeave: async (id) => {
      await rpc({ op: 'groupLeave', jid: id });
    },
    groupParticipantsUpdate: async (jid, participants, action) => {
      if (action === 'modify') throw new Boom('bad-request', { statusCode: 400, data: 400 });
      const results = await rpc({ op: 'groupParticipantsUpdate', jid, participants, action });
      return results.map(({ status, jid: participant }) => ({
        status,
        jid: participant,
        content: { tag: 'participant', attrs: { jid: participant, ...(status === '200' ? {} : { error: status }) } },
      }));
    },
    groupInviteCode: async (jid) => rpc({ op: 'groupInviteCode', jid }),
    groupRevokeInvite: async (jid) => rpc({ op: 'groupRevokeInvite', jid }),
    sendPresenceUpdate: async (type, toJid) => {
      await rpc({ op: 'sendPresenceUpdate', presence: type, toJid: toJid ?? null });
    },
    addLabel: (jid, labels) => appPatch({ addLabel: { ...labels } }, jid),
    addChatLabel: (jid, labelId) => appPatch({ addChatLabel: { labelId } }, jid),
    removeChatLabel: (jid, labelId) => appPatch({ removeChatLabel: { labelId } }, jid),
    newsletterCreate: async (name, description): Promise<NewsletterMetadata> => {
      const created = await rpc({ op: 'newsletterCreate', name, description: description ?? null });
      return { ...created, owner: undefined };
    },
  };
}
