import { DeliveryQueue, type HistoryJob, type QueuedDelivery } from './DeliveryQueue.js';
import type { BusinessProfileWire, DeliveryBody, GroupMetadataWire, NewsletterWire, Presence, ReceiptStatus } from './protocol.js';

/** How many received messages an account remembers (for quoting and the inbox view). */
export const INBOX_LIMIT = 10_000;

export type MessageType =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'voice'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contact'
  | 'reaction'
  | 'edit'
  | 'revoke'
  | 'poll'
  | 'other';

/** What the network saw of one message's content. */
export interface MessageSummary {
  type: MessageType;
  text?: string;
  caption?: string;
  mimetype?: string;
  fileName?: string;
  /** Plaintext media: content address, size, and the `/sim/media/...` path that serves it. */
  media?: { sha256: string; size: number; url: string };
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  contact?: { displayName: string; vcard: string };
  quotedMessageId?: string;
  /** For reactions, edits and revocations: the message they act on. */
  targetMessageId?: string;
  reaction?: string;
}

/** One message an account sent, as the network recorded it. */
export interface OutboxEntry extends MessageSummary {
  messageId: string;
  /** The recipient's phone digits, or the group, newsletter or status@broadcast JID. */
  to: string;
  chatJid: string;
  timestamp: number;
  status: 'sent' | ReceiptStatus;
  receipts: Array<{ from: string; status: ReceiptStatus; at: number }>;
  editedText?: string;
  revoked?: boolean;
  /** base64 `proto.WebMessageInfo` exactly as the driver sent it (kept for quoting). */
  raw: string;
}

/** One message an account received. */
export interface InboxEntry extends MessageSummary {
  messageId: string;
  chatJid: string;
  /** The sender's phone digits. */
  from: string;
  group: string | null;
  timestamp: number;
  /** base64 `proto.Message` (kept for quoting). */
  raw: string;
  deliveryId: number;
  deliveredAt: number | null;
  readAt: number | null;
  /** The simulated account that sent it, when the sender is linked here too. */
  sourceAccountId: string | null;
}

export interface LinkState {
  phone: string;
  jid: string;
  name: string | null;
  linkedAt: number;
}

export interface Label {
  id: string;
  name: string;
  color: number;
  deleted: boolean;
  predefinedId?: string;
}

export interface ChatState {
  firstContactAt: number;
  archived?: boolean;
  pinned?: boolean;
  muteEndTime?: number | null;
  markedUnread?: boolean;
  deleted?: boolean;
  labels?: string[];
}

export interface AccountState {
  accountId: string;
  createdAt: number;
  link: LinkState | null;
  pairing: { phone: string; code: string; at: number } | null;
  profile: { status: string; statusSetAt: number; pictureSha256: string | null; business: BusinessProfileWire | null };
  presence: { presence: Presence; toJid: string | null; at: number } | null;
  blocklist: Set<string>;
  labels: Map<string, Label>;
  chats: Map<string, ChatState>;
  starred: Set<string>;
  newsletters: NewsletterWire[];
  outbox: OutboxEntry[];
  /** `chatJid|messageId` → entry; WhatsApp dedupes by id within a chat. */
  outboxByKey: Map<string, OutboxEntry>;
  /** messageId → the latest entry with that id (receipts name only the id). */
  outboxById: Map<string, OutboxEntry>;
  inbox: InboxEntry[];
  inboxById: Map<string, InboxEntry>;
  queue: DeliveryQueue;
}

export interface GroupState {
  meta: GroupMetadataWire;
  inviteCode: string;
  pictureSha256: string | null;
}

export interface MediaRecord {
  sha256: string;
  size: number;
  mimetype: string | null;
}

export interface NetworkState {
  /** Sequence of the last applied change; the snapshot records it so replay skips what it holds. */
  seq: number;
  nextDeliveryId: number;
  accounts: Map<string, AccountState>;
  groups: Map<string, GroupState>;
  /** directPath → plaintext media. */
  media: Map<string, MediaRecord>;
  /** Encrypted uploads not yet matched to a sent message: fileEncSha256 (hex) → media type. */
  uploads: Map<string, string>;
  /** Linked phone → accountId (derived from the links; rebuilt on load). */
  byPhone: Map<string, string>;
}

/** Every state transition of the network; the journal stores them and replays them on restart. */
export type Change =
  | { op: 'account'; accountId: string; at: number }
  | { op: 'link'; accountId: string; link: LinkState }
  | { op: 'unlink'; accountId: string }
  | { op: 'pairing'; accountId: string; phone: string; code: string; at: number }
  | { op: 'enqueue'; accountId: string; id: number; body: DeliveryBody }
  | { op: 'enqueue-history'; accountId: string; id: number; job: HistoryJob }
  | { op: 'ack'; accountId: string; id: number; chunk: number | null; at: number }
  | { op: 'inbound'; accountId: string; entry: InboxEntry }
  | { op: 'inbox-read'; accountId: string; messageIds: string[]; at: number }
  | { op: 'first-contact'; accountId: string; chatJid: string; at: number }
  | { op: 'outbound'; accountId: string; entry: OutboxEntry }
  | { op: 'outbound-receipt'; accountId: string; chatJid: string; messageId: string; from: string; status: ReceiptStatus; at: number }
  | { op: 'outbound-mark'; accountId: string; chatJid: string; messageId: string; editedText?: string; revoked?: boolean }
  | { op: 'media'; directPath: string; record: MediaRecord }
  | { op: 'upload'; encSha256: string; mediaType: string | null }
  | { op: 'group'; group: GroupState }
  | { op: 'blocklist'; accountId: string; jid: string; blocked: boolean }
  | { op: 'profile'; accountId: string; status?: string; statusSetAt?: number; pictureSha256?: string | null; business?: BusinessProfileWire }
  | { op: 'presence'; accountId: string; presence: Presence; toJid: string | null; at: number }
  | { op: 'label'; accountId: string; label: Label }
  | { op: 'chat'; accountId: string; chatJid: string; patch: Partial<ChatState> }
  | { op: 'chat-label'; accountId: string; chatJid: string; labelId: string; labeled: boolean }
  | { op: 'star'; accountId: string; key: string; starred: boolean }
  | { op: 'newsletter'; accountId: string; newsletter: NewsletterWire };

/** A network with nobody on it. */
export function emptyState(): NetworkState {
  return { seq: 0, nextDeliveryId: 1, accounts: new Map(), groups: new Map(), media: new Map(), uploads: new Map(), byPhone: new Map() };
}

function newAccount(accountId: string, at: number): AccountState {
  return {
    accountId,
    createdAt: at,
    link: null,
    pairing: null,
    profile: { status: 'Hey there! I am using WhatsApp.', statusSetAt: at, pictureSha256: null, business: null },
    presence: null,
    blocklist: new Set(),
    labels: new Map(),
    chats: new Map(),
    starred: new Set(),
    newsletters: [],
    outbox: [],
    outboxByKey: new Map(),
    outboxById: new Map(),
    inbox: [],
    inboxById: new Map(),
    queue: new DeliveryQueue(),
  };
}

/** `chatJid|messageId`, the identity of a message within an account. */
export function messageKey(chatJid: string, messageId: string): string {
  return `${chatJid}|${messageId}`;
}

/**
 * Applies one change to the state, in place (the maps can be large, so they are not copied).
 * Deterministic: replaying the journal over the snapshot rebuilds the same network.
 */
export function applyChange(state: NetworkState, change: Change): void {
  switch (change.op) {
    case 'account':
      if (!state.accounts.has(change.accountId)) state.accounts.set(change.accountId, newAccount(change.accountId, change.at));
      return;
    case 'link': {
      const account = accountOf(state, change.accountId, change.link.linkedAt);
      if (account.link) state.byPhone.delete(account.link.phone);
      account.link = change.link;
      state.byPhone.set(change.link.phone, change.accountId);
      return;
    }
    case 'unlink': {
      const account = accountOf(state, change.accountId, 0);
      if (account.link) state.byPhone.delete(account.link.phone);
      account.link = null;
      account.pairing = null;
      // WhatsApp drops what was queued for a device that no longer exists.
      account.queue.clear();
      return;
    }
    case 'pairing':
      accountOf(state, change.accountId, change.at).pairing = { phone: change.phone, code: change.code, at: change.at };
      return;
    case 'enqueue':
      accountOf(state, change.accountId, 0).queue.push({ id: change.id, body: change.body });
      state.nextDeliveryId = Math.max(state.nextDeliveryId, change.id + 1);
      return;
    case 'enqueue-history':
      accountOf(state, change.accountId, 0).queue.push({ id: change.id, job: { ...change.job } });
      state.nextDeliveryId = Math.max(state.nextDeliveryId, change.id + 1);
      return;
    case 'ack':
      applyAck(accountOf(state, change.accountId, 0), change.id, change.chunk, change.at);
      return;
    case 'inbound': {
      const account = accountOf(state, change.accountId, change.entry.timestamp);
      account.inbox.push(change.entry);
      account.inboxById.set(change.entry.messageId, change.entry);
      if (account.inbox.length > INBOX_LIMIT) {
        const dropped = account.inbox.splice(0, account.inbox.length - INBOX_LIMIT);
        for (const old of dropped) {
          if (account.inboxById.get(old.messageId) === old) account.inboxById.delete(old.messageId);
        }
      }
      return;
    }
    case 'inbox-read': {
      const account = accountOf(state, change.accountId, change.at);
      for (const id of change.messageIds) {
        const entry = account.inboxById.get(id);
        if (entry && entry.readAt === null) entry.readAt = change.at;
      }
      return;
    }
    case 'first-contact': {
      const account = accountOf(state, change.accountId, change.at);
      if (!account.chats.has(change.chatJid)) account.chats.set(change.chatJid, { firstContactAt: change.at });
      return;
    }
    case 'outbound': {
      const account = accountOf(state, change.accountId, change.entry.timestamp);
      const key = messageKey(change.entry.chatJid, change.entry.messageId);
      if (account.outboxByKey.has(key)) return;
      account.outbox.push(change.entry);
      account.outboxByKey.set(key, change.entry);
      account.outboxById.set(change.entry.messageId, change.entry);
      return;
    }
    case 'outbound-receipt': {
      const entry = accountOf(state, change.accountId, change.at).outboxByKey.get(messageKey(change.chatJid, change.messageId));
      if (!entry) return;
      entry.receipts.push({ from: change.from, status: change.status, at: change.at });
      if (rank(change.status) > rank(entry.status)) entry.status = change.status;
      return;
    }
    case 'outbound-mark': {
      const entry = accountOf(state, change.accountId, 0).outboxByKey.get(messageKey(change.chatJid, change.messageId));
      if (!entry) return;
      if (change.editedText !== undefined) entry.editedText = change.editedText;
      if (change.revoked) entry.revoked = true;
      return;
    }
    case 'media':
      state.media.set(change.directPath, change.record);
      return;
    case 'upload':
      if (change.mediaType === null) state.uploads.delete(change.encSha256);
      else state.uploads.set(change.encSha256, change.mediaType);
      return;
    case 'group':
      state.groups.set(change.group.meta.id, change.group);
      return;
    case 'blocklist': {
      const account = accountOf(state, change.accountId, 0);
      if (change.blocked) account.blocklist.add(change.jid);
      else account.blocklist.delete(change.jid);
      return;
    }
    case 'profile': {
      const profile = accountOf(state, change.accountId, 0).profile;
      if (change.status !== undefined) profile.status = change.status;
      if (change.statusSetAt !== undefined) profile.statusSetAt = change.statusSetAt;
      if (change.pictureSha256 !== undefined) profile.pictureSha256 = change.pictureSha256;
      if (change.business !== undefined) profile.business = change.business;
      return;
    }
    case 'presence':
      accountOf(state, change.accountId, change.at).presence = { presence: change.presence, toJid: change.toJid, at: change.at };
      return;
    case 'label':
      accountOf(state, change.accountId, 0).labels.set(change.label.id, change.label);
      return;
    case 'chat': {
      const account = accountOf(state, change.accountId, 0);
      const chat = account.chats.get(change.chatJid) ?? { firstContactAt: 0 };
      account.chats.set(change.chatJid, { ...chat, ...change.patch });
      return;
    }
    case 'chat-label': {
      const account = accountOf(state, change.accountId, 0);
      const chat = account.chats.get(change.chatJid) ?? { firstContactAt: 0 };
      const labels = new Set(chat.labels ?? []);
      if (change.labeled) labels.add(change.labelId);
      else labels.delete(change.labelId);
      account.chats.set(change.chatJid, { ...chat, labels: [...labels] });
      return;
    }
    case 'star': {
      const account = accountOf(state, change.accountId, 0);
      if (change.starred) account.starred.add(change.key);
      else account.starred.delete(change.key);
      return;
    }
    case 'newsletter':
      accountOf(state, change.accountId, 0).newsletters.push(change.newsletter);
      return;
    default: {
      const unknown: never = change;
      throw new Error(`unknown change ${JSON.stringify(unknown)}`);
    }
  }
}

function rank(status: OutboxEntry['status']): number {
  return status === 'sent' ? 0 : status === 'delivered' ? 1 : 2;
}

function accountOf(state: NetworkState, accountId: string, at: number): AccountState {
  let account = state.accounts.get(accountId);
  if (!account) {
    account = newAccount(accountId, at);
    state.accounts.set(accountId, account);
  }
  return account;
}

function applyAck(account: AccountState, id: number, chunk: number | null, at: number): void {
  const item = account.queue.get(id);
  if (!item) return;
  if (item.job) {
    // A stale ack of an earlier chunk (redelivered, then acknowledged twice) must not skip one.
    if (chunk !== item.job.nextChunk) return;
    item.job.nextChunk += 1;
    if (item.job.nextChunk * item.job.chunkSize >= item.job.total) account.queue.remove(id);
    return;
  }
  account.queue.remove(id);
  if (item.body.kind === 'message') {
    const entry = account.inboxById.get(item.body.messageId);
    if (entry && entry.deliveredAt === null) entry.deliveredAt = at;
  }
}

interface AccountSnapshot extends Omit<AccountState, 'blocklist' | 'labels' | 'chats' | 'starred' | 'outboxByKey' | 'outboxById' | 'inboxById' | 'queue'> {
  blocklist: string[];
  labels: Label[];
  chats: Array<[string, ChatState]>;
  starred: string[];
  queue: QueuedDelivery[];
}

export interface StateSnapshot {
  version: 1;
  seq: number;
  nextDeliveryId: number;
  accounts: AccountSnapshot[];
  groups: GroupState[];
  media: Array<[string, MediaRecord]>;
  uploads: Array<[string, string]>;
}

/** The state as JSON-ready data, for the snapshot file. */
export function toSnapshot(state: NetworkState): StateSnapshot {
  return {
    version: 1,
    seq: state.seq,
    nextDeliveryId: state.nextDeliveryId,
    accounts: [...state.accounts.values()].map((account) => {
      const { blocklist, labels, chats, starred, outboxByKey: _byKey, outboxById: _byOutId, inboxById: _byId, queue, ...rest } = account;
      return {
        ...rest,
        blocklist: [...blocklist],
        labels: [...labels.values()],
        chats: [...chats.entries()],
        starred: [...starred],
        queue: [...queue.pending()],
      };
    }),
    groups: [...state.groups.values()],
    media: [...state.media.entries()],
    uploads: [...state.uploads.entries()],
  };
}

/** Rebuilds the state (and its indexes) from a snapshot. */
export function fromSnapshot(snapshot: StateSnapshot): NetworkState {
  const state = emptyState();
  state.seq = snapshot.seq;
  state.nextDeliveryId = snapshot.nextDeliveryId;
  for (const data of snapshot.accounts) {
    const queue = new DeliveryQueue();
    for (const item of data.queue) queue.push(item);
    const account: AccountState = {
      ...data,
      blocklist: new Set(data.blocklist),
      labels: new Map(data.labels.map((label) => [label.id, label])),
      chats: new Map(data.chats),
      starred: new Set(data.starred),
      outboxByKey: new Map(data.outbox.map((entry) => [messageKey(entry.chatJid, entry.messageId), entry])),
      outboxById: new Map(data.outbox.map((entry) => [entry.messageId, entry])),
      inboxById: new Map(data.inbox.map((entry) => [entry.messageId, entry])),
      queue,
    };
    state.accounts.set(account.accountId, account);
    if (account.link) state.byPhone.set(account.link.phone, account.accountId);
  }
  for (const group of snapshot.groups) state.groups.set(group.meta.id, group);
  state.media = new Map(snapshot.media);
  state.uploads = new Map(snapshot.uploads);
  return state;
}
