import { branchOf, type BranchName, type BranchValue, type WebhookEvent } from './WebhookEvent.js';

type NaturalChats = { [N in BranchName]: (data: BranchValue<N>) => string | null };

// The chat a record is about when its envelope names none. Events about this account itself
// (its settings, connection, profile, labels, blocklist) have no chat.
const NATURAL_CHAT: NaturalChats = {
  'wa.conversation.MessageRecorded': (data) => data.message.key.remoteJid,
  'wa.conversation.MessageStatusChanged': (data) => data.key.remoteJid,
  'wa.conversation.MessageReacted': (data) => data.reaction.targetKey.remoteJid,
  'wa.conversation.MessageEdited': (data) => data.targetKey.remoteJid,
  'wa.conversation.MessageDeleted': (data) => data.targetKey.remoteJid,
  'wa.conversation.MessageStarChanged': (data) => data.targetKey.remoteJid,
  'wa.conversation.MessagePinChanged': (data) => data.targetKey.remoteJid,
  'wa.conversation.PollVoted': (data) => data.vote.pollKey.remoteJid,
  'wa.conversation.MessageMediaUpdated': (data) => data.targetKey.remoteJid,
  'wa.conversation.ChatChanged': (data) => data.chatJid,
  'wa.conversation.ChatDeleted': (data) => data.chatJid,
  'wa.conversation.ChatCleared': (data) => data.chatJid,
  'wa.conversation.HistorySyncProgress': () => null,
  'wa.account.AccountCreated': () => null,
  'wa.account.AccountUpdated': () => null,
  'wa.account.AccountDeleted': () => null,
  'wa.account.QrCodeIssued': () => null,
  'wa.account.PairingCodeIssued': () => null,
  'wa.account.ConnectionStateChanged': () => null,
  'wa.account.Contact': (data) => data.jid,
  // The connector files a mapping under the phone-number chat it resolves to.
  'wa.account.LidMapping': (data) => data.pn,
  'wa.account.GroupMetadata': (data) => data.id,
  'wa.account.GroupParticipantsChanged': (data) => data.groupJid,
  'wa.account.GroupJoinRequest': (data) => data.groupJid,
  'wa.account.Label': () => null,
  'wa.account.LabelAssociation': (data) => data.chatJid,
  'wa.account.Profile': () => null,
  'wa.account.BusinessProfile': () => null,
  'wa.account.BlocklistChanged': () => null,
  'wa.account.Call': (data) => data.chatJid,
  'wa.account.NewsletterMetadata': (data) => data.jid,
  'wa.account.NewsletterParticipantChanged': (data) => data.newsletterJid,
  'wa.account.NewsletterMessageStats': (data) => data.newsletterJid,
  'wa.presence.PresenceUpdated': (data) => data.chatJid,
  'wa.presence.SelfPresenceChanged': (data) => data.chatJid,
};

/**
 * The chat an event is about, for per-chat ordering of deliveries: the envelope's (normalised)
 * `chatJid`, else the chat its data names, else null for an account-wide event.
 */
export function chatOfEvent(event: WebhookEvent): string | null {
  if (event.chatJid !== null) return event.chatJid;
  const [branch, data] = branchOf(event);
  if (!Object.hasOwn(NATURAL_CHAT, branch)) return null;
  const chat = (NATURAL_CHAT[branch] as (value: unknown) => string | null)(data);
  return chat === null || chat.length === 0 ? null : chat;
}
