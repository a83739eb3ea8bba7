/**
 * The read side the API serves from: what the projector keeps in PostgreSQL / PGlite. Every
 * list is ordered and paged in SQL on an index; nothing here loads a whole account.
 */
import type { AttemptOutcome, WebhookAttempt } from '../events/avroTypes.js';

/** An account's connection status in the words of both API documents. */
export type AccountStatus = 'not_started' | 'connecting' | 'qr' | 'pairing' | 'connected' | 'reconnecting' | 'disconnected' | 'logged_out';

export interface AccountRow {
  accountId: string;
  name: string | null;
  department: string | null;
  autoConnect: boolean;
  collectionName: string | null;
  status: AccountStatus;
  /** The raw `wa.account.ConnectionState` symbol of the last connection.state event. */
  connectionState: string | null;
  meJid: string | null;
  /** Digits of the linked phone number. */
  phone: string | null;
  /** The current QR (raw string) while the session waits for a scan, else null. */
  qr: string | null;
  qrExpiresAt: number | null;
  lastQrAt: number | null;
  pairingCode: string | null;
  createdAt: number;
  updatedAt: number;
  /** When the status last changed. */
  statusAt: number;
}

/** One connection.state change, for the account's connection history. */
export interface ConnectionHistoryRow {
  accountId: string;
  state: string;
  reason: string | null;
  at: number;
}

export type ChatKind = 'user' | 'group' | 'broadcast' | 'newsletter' | 'status';

export interface ChatRow {
  accountId: string;
  chatJid: string;
  kind: ChatKind;
  name: string | null;
  unreadCount: number;
  lastMessageId: string | null;
  lastMessageAt: number | null;
  archived: boolean;
  pinned: boolean;
  mutedUntil: number | null;
  labels: string[];
  ephemeralSeconds: number | null;
}

export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'played' | 'error';

export interface MediaInfo {
  /** Our media store id, once the bytes are stored (null while pending or failed). */
  mediaId: string | null;
  mimetype: string | null;
  fileName: string | null;
  size: number | null;
  /** `pending`, `stored`, `failed`, `expired`. */
  state: string;
}

export interface ReactionRow {
  emoji: string;
  reactorJid: string;
  at: number;
}

export interface EditRow {
  text: string | null;
  at: number;
}

export interface MessageRow {
  accountId: string;
  chatJid: string;
  messageId: string;
  fromMe: boolean;
  /** The sender: the chat for 1:1 inbound, the participant in groups, the account's JID when fromMe. */
  senderJid: string | null;
  direction: 'inbound' | 'outbound';
  /** Content type: text, image, video, ptv, audio, voice, document, sticker, location, live_location, contact, contacts, poll, event, unknown. */
  type: string;
  text: string | null;
  caption: string | null;
  timestamp: number;
  status: MessageStatus | null;
  media: MediaInfo | null;
  quotedMessageId: string | null;
  mentions: string[];
  reactions: ReactionRow[];
  edits: EditRow[];
  deleted: boolean;
  starred: boolean;
  pinned: boolean;
  /** The decoded content branch (JSON), for clients that need the details. */
  content: Record<string, unknown> | null;
  source: string;
}

export interface ContactRow {
  accountId: string;
  jid: string;
  phone: string | null;
  lid: string | null;
  name: string | null;
  notify: string | null;
  verifiedName: string | null;
  pictureUrl: string | null;
  status: string | null;
  blocked: boolean;
}

export interface GroupParticipantRow {
  jid: string;
  phone: string | null;
  role: 'member' | 'admin' | 'superadmin';
}

export interface GroupRow {
  accountId: string;
  jid: string;
  subject: string | null;
  description: string | null;
  owner: string | null;
  createdAt: number | null;
  announce: boolean;
  restrict: boolean;
  isCommunity: boolean;
  parentJid: string | null;
  participants: GroupParticipantRow[];
  /** Set once this account left the group. */
  left: boolean;
}

export interface LabelRow {
  accountId: string;
  labelId: string;
  name: string;
  color: number | null;
  chats: string[];
}

export interface StoryRow {
  accountId: string;
  storyId: string;
  senderJid: string | null;
  fromMe: boolean;
  type: string;
  text: string | null;
  caption: string | null;
  media: MediaInfo | null;
  timestamp: number;
  deleted: boolean;
}

export interface NewsletterRow {
  accountId: string;
  jid: string;
  name: string | null;
  description: string | null;
  role: string | null;
  subscribers: number | null;
  pictureUrl: string | null;
}

/** A command's outcome as recorded from wa.command-results.v1. */
export interface CommandRow {
  commandId: string;
  accountId: string;
  type: string;
  status: 'SUCCEEDED' | 'FAILED' | 'REJECTED' | 'EXPIRED';
  completedAt: number;
  error: { code: string; message: string; retriable: boolean; field: string | null } | null;
  /** The decoded result branch as JSON (`{ 'wa.commands.MessageSentResult': {...} }`), or null. */
  result: Record<string, unknown> | null;
}

export interface Page {
  limit: number;
  offset: number;
}

/** A page of rows and the cursor of the next page (null on the last). */
export interface Paged<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

/** What a webhook delivery attempt led to (`wa.webhooks.AttemptOutcome`). */
export type WebhookAttemptOutcome = AttemptOutcome;

/** One line of the webhook delivery log: a `wa.webhooks.WebhookAttempt` record as stored. */
export type WebhookAttemptRow = WebhookAttempt;

/** How far a read model is behind the log. */
export interface Lag {
  /** Events on the topics not yet applied (sum over partitions), or null when unknown. */
  events: number | null;
  /** When the newest applied event was recorded. */
  appliedUpTo: number | null;
}

/** Queries of both API documents. Every method is safe to call with any input (unknown ids give null / empty). */
export interface ReadModels {
  accounts(): Promise<AccountRow[]>;
  account(accountId: string): Promise<AccountRow | null>;
  connectionHistory(accountId: string, page: Page): Promise<ConnectionHistoryRow[]>;
  /** Chats by last activity, newest first; `cursor` (from a previous page) wins over `offset`. */
  chats(accountId: string, page: Page & { cursor?: string | null }): Promise<Paged<ChatRow>>;
  chat(accountId: string, chatJid: string): Promise<ChatRow | null>;
  /** A chat's messages, newest first (limit at most 100). */
  messagesOfChat(accountId: string, chatJid: string, page: Page): Promise<Paged<MessageRow>>;
  /** Every message of an account, newest first (WHAPI `GET /messages/list`). */
  messagesOfAccount(accountId: string, page: Page): Promise<Paged<MessageRow>>;
  message(accountId: string, messageId: string): Promise<MessageRow | null>;
  contacts(accountId: string, page: Page): Promise<Paged<ContactRow>>;
  blocked(accountId: string): Promise<string[]>;
  groups(accountId: string, page: Page): Promise<Paged<GroupRow>>;
  group(accountId: string, groupJid: string): Promise<GroupRow | null>;
  labels(accountId: string): Promise<LabelRow[]>;
  stories(accountId: string, page: Page): Promise<Paged<StoryRow>>;
  newsletters(accountId: string): Promise<NewsletterRow[]>;
  /** Communities are groups with `isCommunity`; their sub-groups carry `parentJid`. */
  communities(accountId: string): Promise<GroupRow[]>;
  command(commandId: string): Promise<CommandRow | null>;
  /** A subscription's delivery attempts, newest first (by attemptedAt, then attemptId), optionally of one event or one outcome. */
  webhookAttempts(subscriptionId: string, filter: { eventId?: string; outcome?: WebhookAttemptOutcome }, page: Page): Promise<Paged<WebhookAttemptRow>>;
  /** A subscription's dead letters: per delivery its latest attempt, when that one is DEAD, GONE or DISABLED; newest first. */
  webhookDeadLetters(subscriptionId: string, page: Page): Promise<Paged<WebhookAttemptRow>>;
  lag(): Promise<Lag>;
  /** Throws when the store cannot be reached. */
  ping(): Promise<void>;
}
