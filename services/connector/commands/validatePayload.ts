import { payloadOf, type CommandType } from '../../shared/commands/index.js';
import type { CommandValue, MediaRefValue, MessageKeyValue, MessageTargetValue, SendableContent } from '../../shared/commands/index.js';
import { CHAT, MESSAGE_CHAT, PERSON, isJidOf, phoneDigits, type JidKind } from '../../shared/commands/index.js';

/** A payload field at fault: its path inside the payload (`content.media.mediaId`) and why. */
export interface PayloadProblem {
  field: string;
  message: string;
}

const MEDIA_ID = /^[0-9a-f]{64}$/;
const PIN_DURATION_MAX = 2_592_000;
const POLL_OPTIONS_MAX = 12;
const GROUP_SUBJECT_MAX = 100;
const LABEL_COLORS = 20;

/** True when a media reference names a file of our store (content address) or an http(s) URL the connector fetches. */
export function isMediaLocator(mediaId: string): boolean {
  if (MEDIA_ID.test(mediaId)) return true;
  try {
    const url = new URL(mediaId);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The first problem with a command's payload values, or null. The payload branch is assumed to
 * match the type (`decide` checks that first). Checks only what needs no account state.
 */
export function validatePayload(command: CommandValue, type: CommandType): PayloadProblem | null {
  const check = new Checker();
  switch (type) {
    case 'account.create':
    case 'account.update':
    case 'account.delete':
    case 'account.disconnect':
    case 'account.logout':
      break;
    case 'account.connect': {
      const p = payloadOf(command, type);
      if (p.method === 'PAIRING_CODE') {
        if (p.phoneNumber === null) check.fail('phoneNumber', 'a pairing code needs the phone number of the account');
        else check.phone('phoneNumber', p.phoneNumber);
      }
      break;
    }
    case 'message.send':
    case 'newsletter.send': {
      const p = payloadOf(command, type);
      check.jid('to', p.to, type === 'newsletter.send' ? ['newsletter'] : CHAT);
      content(check, p.content);
      if (p.quoted !== null) target(check, 'quoted', p.quoted);
      p.mentions.forEach((jid, i) => check.jid(`mentions[${i}]`, jid, PERSON));
      if (p.viewOnce && !isViewOnceContent(p.content)) check.fail('viewOnce', 'view-once applies to images, videos and audio only');
      check.positive('ephemeralExpirationSeconds', p.ephemeralExpirationSeconds);
      if (p.messageId !== null && !/^[0-9A-Za-z]{4,64}$/.test(p.messageId)) check.fail('messageId', 'a message id is 4 to 64 letters or digits');
      break;
    }
    case 'message.react': {
      const p = payloadOf(command, type);
      target(check, 'target', p.target);
      if ([...p.emoji].length > 16) check.fail('emoji', 'a reaction is one emoji, or empty to remove it');
      break;
    }
    case 'message.delete':
    case 'message.star':
    case 'message.unstar':
      target(check, 'target', payloadOf(command, type).target);
      break;
    case 'message.edit': {
      const p = payloadOf(command, type);
      target(check, 'target', p.target);
      if (p.target.fromMe === false) check.fail('target.fromMe', 'only messages this account sent can be edited');
      check.text('text', p.text);
      p.mentions.forEach((jid, i) => check.jid(`mentions[${i}]`, jid, PERSON));
      break;
    }
    case 'message.forward': {
      const p = payloadOf(command, type);
      target(check, 'source', p.source);
      if (p.to.length === 0) check.fail('to', 'name at least one recipient');
      p.to.forEach((jid, i) => check.jid(`to[${i}]`, jid, CHAT));
      break;
    }
    case 'message.pin':
    case 'message.unpin': {
      const p = payloadOf(command, type);
      target(check, 'target', p.target);
      check.positive('durationSeconds', p.durationSeconds);
      if (p.durationSeconds !== null && p.durationSeconds > PIN_DURATION_MAX) check.fail('durationSeconds', `at most ${PIN_DURATION_MAX} (30 days)`);
      break;
    }
    case 'chat.archive':
    case 'chat.unarchive':
    case 'chat.pin':
    case 'chat.unpin':
    case 'chat.mute':
    case 'chat.unmute':
    case 'chat.read':
    case 'chat.delete': {
      const p = payloadOf(command, type);
      check.jid('chatJid', p.chatJid, CHAT);
      check.positive('muteDurationSeconds', p.muteDurationSeconds);
      if (p.lastMessageKey !== null) messageKey(check, 'lastMessageKey', p.lastMessageKey);
      break;
    }
    case 'contact.check': {
      const p = payloadOf(command, type);
      if (p.phones.length === 0) check.fail('phones', 'name at least one phone number');
      p.phones.forEach((phone, i) => check.phone(`phones[${i}]`, phone));
      break;
    }
    case 'contact.block':
    case 'contact.unblock':
      check.jid('jid', payloadOf(command, type).jid, PERSON);
      break;
    case 'profile.fetch':
    case 'business.profile.fetch': {
      const jid = payloadOf(command, type).jid;
      if (jid !== null) check.jid('jid', jid, type === 'profile.fetch' ? [...PERSON, 'group', 'newsletter'] : PERSON);
      break;
    }
    case 'profile.update': {
      const p = payloadOf(command, type);
      if (p.name !== null) check.text('name', p.name);
      break;
    }
    case 'profile.picture.update': {
      const p = payloadOf(command, type);
      check.mediaId('mediaId', p.mediaId);
      if (p.jid !== null) check.jid('jid', p.jid, [...PERSON, 'group']);
      break;
    }
    case 'business.profile.update': {
      const p = payloadOf(command, type);
      // Baileys' business profile update has no category: refusing beats silently ignoring it.
      if (p.category !== null) check.fail('category', 'the business category cannot be changed from a linked device');
      if (p.email !== null && p.email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p.email)) check.fail('email', 'not an e-mail address');
      p.websites?.forEach((site, i) => check.url(`websites[${i}]`, site));
      break;
    }
    case 'group.create': {
      const p = payloadOf(command, type);
      check.text('subject', p.subject, GROUP_SUBJECT_MAX);
      p.participants.forEach((jid, i) => check.jid(`participants[${i}]`, jid, PERSON));
      break;
    }
    case 'group.update': {
      const p = payloadOf(command, type);
      check.jid('groupJid', p.groupJid, ['group']);
      if (p.subject !== null) check.text('subject', p.subject, GROUP_SUBJECT_MAX);
      if (p.ephemeralDurationSeconds !== null && p.ephemeralDurationSeconds < 0) check.fail('ephemeralDurationSeconds', 'must be 0 (off) or positive');
      break;
    }
    case 'group.leave':
    case 'group.invite.get':
    case 'group.invite.revoke':
      check.jid('groupJid', payloadOf(command, type).groupJid, ['group']);
      break;
    case 'group.participants.add':
    case 'group.participants.remove':
    case 'group.participants.promote':
    case 'group.participants.demote': {
      const p = payloadOf(command, type);
      check.jid('groupJid', p.groupJid, ['group']);
      if (p.participants.length === 0) check.fail('participants', 'name at least one participant');
      p.participants.forEach((jid, i) => check.jid(`participants[${i}]`, jid, PERSON));
      break;
    }
    case 'story.post': {
      const p = payloadOf(command, type);
      content(check, p.content);
      p.audienceJids.forEach((jid, i) => check.jid(`audienceJids[${i}]`, jid, PERSON));
      break;
    }
    case 'story.delete': {
      const p = payloadOf(command, type);
      if (!/^[0-9A-Za-z]{4,64}$/.test(p.storyId)) check.fail('storyId', 'not a WhatsApp message id');
      p.audienceJids.forEach((jid, i) => check.jid(`audienceJids[${i}]`, jid, PERSON));
      break;
    }
    case 'label.create': {
      const p = payloadOf(command, type);
      check.text('name', p.name, 100);
      if (p.color !== null && !(Number.isInteger(p.color) && p.color >= 0 && p.color < LABEL_COLORS)) {
        check.fail('color', `a label color is 0 to ${LABEL_COLORS - 1}`);
      }
      break;
    }
    case 'label.delete':
      check.text('labelId', payloadOf(command, type).labelId);
      break;
    case 'label.chat.add':
    case 'label.chat.remove': {
      const p = payloadOf(command, type);
      check.text('labelId', p.labelId);
      check.jid('chatJid', p.chatJid, CHAT);
      break;
    }
    case 'newsletter.create': {
      const p = payloadOf(command, type);
      check.text('name', p.name, 100);
      if (p.pictureMediaId !== null) check.mediaId('pictureMediaId', p.pictureMediaId);
      break;
    }
    default: {
      const unreachable: never = type;
      throw new Error(`unhandled command type ${String(unreachable)}`);
    }
  }
  return check.problem;
}

/** True for content kinds WhatsApp can send as view-once. */
function isViewOnceContent(value: SendableContent): boolean {
  return 'wa.conversation.ImageContent' in value || 'wa.conversation.VideoContent' in value || 'wa.conversation.AudioContent' in value;
}

function content(check: Checker, value: SendableContent): void {
  const branches = Object.values(value) as unknown[];
  if (branches.length !== 1) return check.fail('content', 'exactly one content branch');
  const media = (branches[0] as { media?: MediaRefValue }).media;
  if (media !== undefined) {
    if (media.mediaId === null) check.fail('content.media.mediaId', 'media must be stored first and referenced by mediaId');
    else check.mediaId('content.media.mediaId', media.mediaId);
  }
  if ('wa.conversation.TextContent' in value) check.text('content.text', value['wa.conversation.TextContent'].text, 65_536);
  else if ('wa.conversation.LocationContent' in value) coordinates(check, value['wa.conversation.LocationContent']);
  else if ('wa.conversation.LiveLocationContent' in value) coordinates(check, value['wa.conversation.LiveLocationContent']);
  else if ('wa.conversation.ContactContent' in value) vcard(check, 'content.vcard', value['wa.conversation.ContactContent'].vcard);
  else if ('wa.conversation.ContactsArrayContent' in value) {
    const contacts = value['wa.conversation.ContactsArrayContent'].contacts;
    if (contacts.length === 0) check.fail('content.contacts', 'share at least one contact');
    contacts.forEach((contact, i) => vcard(check, `content.contacts[${i}].vcard`, contact.vcard));
  } else if ('wa.conversation.PollCreationContent' in value) {
    const poll = value['wa.conversation.PollCreationContent'];
    check.text('content.name', poll.name);
    if (poll.options.length < 2 || poll.options.length > POLL_OPTIONS_MAX) check.fail('content.options', `a poll has 2 to ${POLL_OPTIONS_MAX} options`);
    poll.options.forEach((option, i) => check.text(`content.options[${i}]`, option, 100));
    if (new Set(poll.options).size !== poll.options.length) check.fail('content.options', 'poll options must differ');
    if (!(poll.selectableCount >= 0 && poll.selectableCount <= poll.options.length)) {
      check.fail('content.selectableCount', 'between 0 (any number) and the number of options');
    }
  } else if ('wa.conversation.EventContent' in value) {
    const event = value['wa.conversation.EventContent'];
    check.text('content.name', event.name);
    if (event.startTime === null) check.fail('content.startTime', 'an event needs a start time');
    else if (event.endTime !== null && event.endTime < event.startTime) check.fail('content.endTime', 'ends before it starts');
    if (event.location !== null) coordinates(check, event.location, 'content.location');
  }
}

function coordinates(check: Checker, value: { latitude: number; longitude: number }, at = 'content'): void {
  if (!(Math.abs(value.latitude) <= 90)) check.fail(`${at}.latitude`, 'latitude is between -90 and 90');
  if (!(Math.abs(value.longitude) <= 180)) check.fail(`${at}.longitude`, 'longitude is between -180 and 180');
}

function vcard(check: Checker, field: string, value: string): void {
  if (!/^BEGIN:VCARD/i.test(value.trim()) || !/END:VCARD$/i.test(value.trim())) check.fail(field, 'not a vCard (BEGIN:VCARD ... END:VCARD)');
}

function target(check: Checker, at: string, value: MessageTargetValue): void {
  check.jid(`${at}.chatJid`, value.chatJid, MESSAGE_CHAT);
  if (value.messageId.trim() === '') check.fail(`${at}.messageId`, 'empty message id');
  if (value.participant !== null) check.jid(`${at}.participant`, value.participant, PERSON);
}

function messageKey(check: Checker, at: string, value: MessageKeyValue): void {
  check.jid(`${at}.remoteJid`, value.remoteJid, MESSAGE_CHAT);
  if (value.id.trim() === '') check.fail(`${at}.id`, 'empty message id');
}

/** Collects the first problem; later checks are no-ops once one is found. */
class Checker {
  problem: PayloadProblem | null = null;

  fail(field: string, message: string): void {
    this.problem ??= { field, message };
  }

  jid(field: string, value: string, kinds: readonly JidKind[]): void {
    if (!isJidOf(value, kinds)) this.fail(field, `not a valid ${kinds.join(' / ')} JID`);
  }

  phone(field: string, value: string): void {
    if (phoneDigits(value) === null) this.fail(field, 'not a phone number (5 to 20 digits, with country code)');
  }

  text(field: string, value: string, maxLength = 4_096): void {
    if (value.trim() === '') this.fail(field, 'must not be empty');
    else if (value.length > maxLength) this.fail(field, `longer than ${maxLength} characters`);
  }

  positive(field: string, value: number | null): void {
    if (value !== null && !(value > 0)) this.fail(field, 'must be positive');
  }

  mediaId(field: string, value: string): void {
    if (!isMediaLocator(value)) this.fail(field, 'not a media id of the store (hex SHA-256) or an http(s) URL');
  }

  url(field: string, value: string): void {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return;
    } catch {
      // fall through
    }
    this.fail(field, 'not an http(s) URL');
  }
}
