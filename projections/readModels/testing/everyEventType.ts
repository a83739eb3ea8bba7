import type { ProjectedEvent } from '../../events/index.js';
import { ALICE, BOB, EventFactory, GROUP, key, ME, T0 } from './EventFactory.js';

/** A newsletter of the samples. */
export const SAMPLE_CHANNEL = '120363999999999999@newsletter';

/** One sample of every event type the projector reads, in an order where each touches state the ones before built. */
export function everyEventType(f: EventFactory): ProjectedEvent[] {
  const CHANNEL = SAMPLE_CHANNEL;
  const image = { 'wa.conversation.ImageContent': { media: { mimetype: 'image/jpeg', status: 'PENDING' }, caption: 'c' } };
  return [
  f.account('account.created', 'AccountCreated', { name: 'Bot', createdBy: 'admin' }),
  f.account('account.updated', 'AccountUpdated', { name: 'Bot 2', updatedBy: 'admin' }),
  f.account('connection.state', 'ConnectionStateChanged', { state: 'CONNECTING', connectionId: 'c1' }),
  f.account('connection.qr', 'QrCodeIssued', { qr: '2@x', attempt: 1, expiresAt: T0 + 60_000, connectionId: 'c1' }),
  f.account('connection.pairing_code', 'PairingCodeIssued', { code: 'ABCD1234', phoneNumber: '15550000001', connectionId: 'c1' }),
  f.account('connection.state', 'ConnectionStateChanged', { state: 'CONNECTED', meJid: ME, mePhone: '15550000001', connectionId: 'c1' }),
  f.account('contact.upserted', 'Contact', { jid: ALICE, name: 'Alice' }),
  f.account('contact.updated', 'Contact', { jid: ALICE, notify: 'ali' }),
  f.account('lid.mapping', 'LidMapping', { lid: '777@lid', pn: ALICE, source: 'CONTACT' }),
  f.account('group.upserted', 'GroupMetadata', { id: GROUP, subject: 'Team', participants: [{ jid: ME, role: 'ADMIN' }] }),
  f.account('group.updated', 'GroupMetadata', { id: GROUP, description: 'd' }),
  f.account('group.participants', 'GroupParticipantsChanged', { groupJid: GROUP, action: 'ADD', participants: [{ jid: BOB }] }),
  f.account('group.join_request', 'GroupJoinRequest', { groupJid: GROUP, participantJid: ALICE, action: 'CREATED', method: 'INVITE_LINK' }),
  f.account('label.upserted', 'Label', { labelId: '1', name: 'L', color: 1, deleted: false }),
  f.account('label.association', 'LabelAssociation', { labelId: '1', targetType: 'CHAT', chatJid: ALICE, action: 'ADD' }),
  f.account('profile.updated', 'Profile', { jid: ME, name: 'Me' }),
  f.account('business.profile', 'BusinessProfile', { jid: ME, description: 'shop', websites: [] }),
  f.account('blocklist.changed', 'BlocklistChanged', { action: 'ADD', jids: [BOB] }),
  f.account('call.updated', 'Call', { callId: 'k1', fromJid: BOB, chatJid: BOB, isVideo: false, isGroup: false, status: 'OFFER', offline: false }),
  f.account('newsletter.upserted', 'NewsletterMetadata', { jid: CHANNEL, name: 'News' }),
  f.account('newsletter.updated', 'NewsletterMetadata', { jid: CHANNEL, description: 'daily' }),
  f.account('newsletter.participant', 'NewsletterParticipantChanged', { newsletterJid: CHANNEL, userJid: ME, action: 'promote', newRole: 'ADMIN' }),
  f.account('newsletter.reaction', 'NewsletterMessageStats', { newsletterJid: CHANNEL, serverMessageId: '1', reactionCode: '👍', reactionCount: 1 }),
  f.account('newsletter.view', 'NewsletterMessageStats', { newsletterJid: CHANNEL, serverMessageId: '1', viewCount: 2 }),
  f.conversation('chat.upserted', 'ChatChanged', { chatJid: ALICE, name: 'Alice', unreadCount: 0 }, { chatJid: ALICE }),
  f.message({ id: 'M1', type: 'message.received', kind: 'IMAGE', content: image }),
  f.message({ id: 'M2', type: 'message.sent' }),
  f.message({ id: 'M0', type: 'message.history', timestamp: T0 - 1000 }),
  f.message({ id: 'S1', chat: 'status@broadcast', type: 'story.received', participant: ALICE }),
  f.message({ id: 'S2', chat: 'status@broadcast', type: 'story.posted' }),
  f.conversation('message.status', 'MessageStatusChanged', { key: key(ALICE, 'M2', true), status: 'READ' }, { chatJid: ALICE }),
  f.conversation('message.reaction', 'MessageReacted', { reaction: { targetKey: key(ALICE, 'M1'), text: '👍' }, reactorJid: ME }, { chatJid: ALICE }),
  f.conversation('message.edited', 'MessageEdited', { targetKey: key(ALICE, 'M2', true), kind: 'TEXT', content: { 'wa.conversation.TextContent': { text: 'edited' } }, editedAt: T0 + 5 }, { chatJid: ALICE }),
  f.conversation('message.starred', 'MessageStarChanged', { targetKey: key(ALICE, 'M1'), starred: true }, { chatJid: ALICE }),
  f.conversation('message.unstarred', 'MessageStarChanged', { targetKey: key(ALICE, 'M1'), starred: false }, { chatJid: ALICE }),
  f.conversation('message.pinned', 'MessagePinChanged', { targetKey: key(ALICE, 'M1'), pinned: true }, { chatJid: ALICE }),
  f.conversation('message.unpinned', 'MessagePinChanged', { targetKey: key(ALICE, 'M1'), pinned: false }, { chatJid: ALICE }),
  f.conversation('poll.vote', 'PollVoted', { vote: { pollKey: key(ALICE, 'M1'), selectedOptions: ['a'], decrypted: true }, voterJid: BOB }, { chatJid: ALICE }),
  f.conversation('message.media', 'MessageMediaUpdated', { targetKey: key(ALICE, 'M1'), media: { mediaId: 'x', status: 'STORED' } }, { chatJid: ALICE }),
  f.conversation('chat.updated', 'ChatChanged', { chatJid: ALICE, archived: true }, { chatJid: ALICE }),
  f.conversation('history.sync', 'HistorySyncProgress', { syncType: 'RECENT', messageCount: 1, chatCount: 1, contactCount: 0 }),
  f.conversation('message.deleted', 'MessageDeleted', { targetKey: key(ALICE, 'M1'), scope: 'FOR_EVERYONE' }, { chatJid: ALICE }),
  f.conversation('story.deleted', 'MessageDeleted', { targetKey: key('status@broadcast', 'S2', true), scope: 'FOR_EVERYONE' }, { chatJid: 'status@broadcast' }),
  f.conversation('chat.cleared', 'ChatCleared', { chatJid: ALICE, clearedAt: T0 + 1 }, { chatJid: ALICE }),
  f.conversation('chat.deleted', 'ChatDeleted', { chatJid: BOB }, { chatJid: BOB }),
  f.commandResult('cmd-1'),
  f.webhookAttempt(`message-${f.accountId}-${ALICE}-M1`, 'sub-1', 1, { outcome: 'RETRYING', statusCode: 503, error: 'HTTP 503', nextAttemptAt: T0 + 6_000 }),
  f.webhookAttempt(`message-${f.accountId}-${ALICE}-M1`, 'sub-1', 2, { outcome: 'DEAD', statusCode: null, latencyMs: 10_000, error: 'timeout' }),
  f.account('label.deleted', 'Label', { labelId: '1', name: '', color: 1, deleted: true }),
  f.account('account.deleted', 'AccountDeleted', { deletedBy: 'admin', purgeData: true }),
  ];
}
