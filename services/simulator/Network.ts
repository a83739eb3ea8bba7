import { createHash, randomBytes, randomInt } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { proto, toNumber, type MediaType } from '@whiskeysockets/baileys';
import { randomHex, WaError, type Logger } from '../shared/index.js';
import type { HistoryJob, QueuedDelivery } from './DeliveryQueue.js';
import { DEFAULT_HISTORY_CHUNK, historyChunk } from './history.js';
import { Journal } from './Journal.js';
import { groupJidOf, isGroupJid, isOnWhatsApp, phoneDigits, phoneJid, userJidOf, userOf } from './jids.js';
import { MediaVault } from './MediaVault.js';
import { decryptMedia, encryptMedia } from './mediaCrypto.js';
import { MEDIA_DEFAULTS, buildInboundMessage, isMediaType, summarizeMessage, type InboundContent } from './messages.js';
import type {
  BusinessProfileWire,
  Delivery,
  DeliveryBody,
  DeliveryKind,
  GroupChange,
  GroupMetadataWire,
  OpenSessionRequest,
  OpenSessionResponse,
  ParticipantWire,
  PollResponse,
  QrPlan,
  ReceiptStatus,
  RpcRequest,
  RpcResults,
  SessionEnd,
  UploadResponse,
} from './protocol.js';
import {
  applyChange,
  emptyState,
  fromSnapshot,
  messageKey,
  toSnapshot,
  type AccountState,
  type Change,
  type GroupState,
  type InboxEntry,
  type MessageSummary,
  type NetworkState,
  type OutboxEntry,
  type StateSnapshot,
} from './state.js';

export interface NetworkOptions {
  /** Folder the network lives in (`DATA_DIR/simulator`). */
  dir: string;
  logger: Logger;
  now?: () => number;
  /** How long a leased delivery may stay unacknowledged before it is offered again. */
  visibilityTimeoutMs?: number;
  /** QR codes offered to an unlinked device: how many, and how long each lives (WhatsApp: 6, 60 s then 20 s). */
  qr?: { count: number; firstMs: number; nextMs: number };
  historyChunkSize?: number;
  /** Most deliveries handed out in one poll (only runs of the same kind are coalesced). */
  maxBatch?: number;
  /** Largest media file accepted, in bytes. */
  maxMediaBytes?: number;
}

/** A message from a fake phone, as `POST /sim/inbound` validated it. */
export interface InboundRequest {
  accountId: string;
  from: string;
  content: Omit<InboundContent, 'media' | 'quoted'>;
  media: Buffer | null;
  mimetype: string | null;
  quotedMessageId: string | null;
  group: string | null;
  messageId: string | null;
  pushName: string | null;
  timestamp: number | null;
}

/** What the network did with one inbound message. */
export interface InboundOutcome {
  messageId: string;
  /** A message with this id was already in the chat: nothing new was queued. */
  duplicate: boolean;
  /** The account blocked the sender: the message was dropped. */
  blocked: boolean;
}

/** One applied change as the journal stores it. */
interface JournalEntry {
  seq: number;
  change: Change;
}

export interface LinkRequest {
  accountId: string;
  phone: string;
  name: string | null;
  code: string | null;
  historyMessages: number;
  historyChats: number | null;
}

interface Session {
  id: string;
  accountId: string;
  linked: boolean;
  ended: SessionEnd | null;
}

interface Lease {
  sessionId: string;
  ids: Set<string>;
  until: number;
  timer: NodeJS.Timeout;
}

const COALESCED: ReadonlySet<DeliveryKind> = new Set(['message', 'receipt']);
/** Most deliveries one poll hands out unless told otherwise: what the simulator driver asks for by default. */
const DEFAULT_MAX_BATCH = 500;
const PAIRING_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTVWXYZ';
const DEFAULT_STATUS = 'Hey there! I am using WhatsApp.';
const MEDIA_HOST = 'https://mmg.whatsapp.net';
const STATUS_JID = 'status@broadcast';

/**
 * The simulated WhatsApp network: accounts and the phones they are linked to, groups, media,
 * and for every account an ordered queue of stanzas that stays until the account's connector
 * acknowledges it. Every change is journaled before a request is answered, so a restart (a new
 * instance on the same folder) keeps links, outboxes and unacknowledged deliveries.
 */
export class Network {
  private readonly now: () => number;
  private readonly visibilityTimeoutMs: number;
  private readonly qr: { count: number; firstMs: number; nextMs: number };
  private readonly historyChunkSize: number;
  private readonly maxBatch: number;
  readonly maxMediaBytes: number;
  private readonly sessions = new Map<string, Session>();
  private readonly currentSession = new Map<string, string>();
  /** Per account: how often a session was opened while another was still open (WhatsApp's "connection replaced"). */
  private readonly replacements = new Map<string, number>();
  private readonly leases = new Map<string, Lease>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private compacting: Promise<void> | undefined;
  private closed = false;
  /** Base URL the simulator is reachable at (profile picture URLs point there). */
  publicUrl = 'http://127.0.0.1';

  private constructor(
    private readonly state: NetworkState,
    private readonly journal: Journal,
    private readonly vault: MediaVault,
    private readonly logger: Logger,
    options: NetworkOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 30_000;
    this.qr = options.qr ?? { count: 6, firstMs: 60_000, nextMs: 20_000 };
    this.historyChunkSize = options.historyChunkSize ?? DEFAULT_HISTORY_CHUNK;
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    this.maxMediaBytes = options.maxMediaBytes ?? 64 * 1024 * 1024;
  }

  /** Loads the network from its folder (snapshot + journal replay) and starts a fresh journal. */
  static async open(options: NetworkOptions): Promise<Network> {
    const { journal, contents } = await Journal.open(options.dir);
    const state = contents.snapshot === null ? emptyState() : fromSnapshot(contents.snapshot as StateSnapshot);
    let replayed = 0;
    for (const entry of contents.entries as Array<{ seq: number; change: Change }>) {
      if (entry.seq <= state.seq) continue;
      applyChange(state, entry.change);
      state.seq = entry.seq;
      replayed += 1;
    }
    await journal.start(toSnapshot(state));
    const vault = new MediaVault(options.dir);
    await vault.init();
    options.logger.info({ accounts: state.accounts.size, replayed, dir: path.resolve(options.dir) }, 'simulator network loaded');
    return new Network(state, journal, vault, options.logger, options);
  }

  /** Ends every session (their polls return), then flushes the journal. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const session of this.sessions.values()) this.endSession(session, 'closed');
    for (const lease of this.leases.values()) clearTimeout(lease.timer);
    this.leases.clear();
    await this.compacting;
    await this.journal.close();
  }

  // ---------------------------------------------------------------- control API

  /** The phone scans the account's QR: the account becomes linked, and (optionally) a history sync follows. */
  async link(request: LinkRequest): Promise<{ accountId: string; phone: string; jid: string; alreadyLinked: boolean }> {
    const phone = requirePhone(request.phone, 'phone');
    const jid = phoneJid(phone);
    const account = this.state.accounts.get(request.accountId);
    if (account?.link) {
      if (account.link.phone === phone) return { accountId: request.accountId, phone, jid, alreadyLinked: true };
      throw new WaError('CONFLICT', `account is already linked to another phone`, { field: 'phone' });
    }
    const holder = this.accountByPhone(phone);
    if (holder && holder.accountId !== request.accountId) {
      throw new WaError('CONFLICT', `phone is already linked to account ${holder.accountId}`, { field: 'phone' });
    }
    if (request.code !== null && account?.pairing?.code !== request.code.toUpperCase()) {
      throw new WaError('INVALID_ARGUMENT', 'pairing code does not match the one the device requested', { field: 'code' });
    }
    const at = this.now();
    const changes: Change[] = [
      { op: 'account', accountId: request.accountId, at },
      { op: 'link', accountId: request.accountId, link: { phone, jid, name: request.name, linkedAt: at } },
      this.enqueue(request.accountId, { kind: 'linked', me: { id: jid, name: request.name }, platform: 'android', timestamp: Math.floor(at / 1000) }),
    ];
    if (request.historyMessages > 0) {
      const job: HistoryJob = {
        total: request.historyMessages,
        chats: request.historyChats ?? Math.min(50, Math.max(1, Math.ceil(request.historyMessages / 20))),
        chunkSize: this.historyChunkSize,
        seed: randomBytes(3).toString('hex').toUpperCase(),
        ownJid: jid,
        endAt: at - 60_000,
        nextChunk: 0,
      };
      changes.push({ op: 'enqueue-history', accountId: request.accountId, id: this.nextDeliveryId(), job });
    }
    await this.commit(changes, [request.accountId]);
    this.logger.info({ accountId: request.accountId, history: request.historyMessages }, 'simulated phone linked');
    return { accountId: request.accountId, phone, jid, alreadyLinked: false };
  }

  /** The phone removes the linked device: the open session ends as logged out and pending deliveries are dropped. */
  async unlink(accountId: string): Promise<void> {
    this.linkedAccount(accountId);
    await this.commit([{ op: 'unlink', accountId }], [accountId]);
    this.endAccountSession(accountId, 'logged-out');
  }

  /** A fake phone sends the account a message; resolves once it is durably queued for the connector. */
  async inbound(request: InboundRequest): Promise<InboundOutcome> {
    const { outcome, changes } = await this.prepareInbound(request);
    if (changes.length > 0) await this.commit(changes, [request.accountId]);
    return outcome;
  }

  /**
   * Several messages, taken in order exactly as if each were posted alone (a later one sees
   * the groups, chats and ids of the earlier ones), with one journal flush for all of them.
   * A message the network refuses gets its error in its place; the others are still taken.
   * Resolves once every accepted message is durably queued.
   */
  async inboundBatch(requests: readonly InboundRequest[]): Promise<Array<InboundOutcome | { error: WaError }>> {
    if (this.closed) throw new WaError('SHUTTING_DOWN', 'simulator is shutting down');
    const outcomes: Array<InboundOutcome | { error: WaError }> = [];
    const entries: JournalEntry[] = [];
    const touched = new Set<string>();
    for (const request of requests) {
      try {
        const { outcome, changes } = await this.prepareInbound(request);
        // Applied at once, so the next message of the batch sees this one.
        entries.push(...this.apply(changes));
        if (changes.length > 0) touched.add(request.accountId);
        outcomes.push(outcome);
      } catch (error) {
        if (!(error instanceof WaError)) this.logger.error({ err: error, accountId: request.accountId }, 'an inbound message of a batch failed');
        outcomes.push({ error: error instanceof WaError ? error : new WaError('INTERNAL', 'internal error', { cause: error }) });
      }
    }
    await this.persist(entries, [...touched]);
    return outcomes;
  }

  /** Checks one inbound message against the network and builds its changes; changes nothing yet. */
  private async prepareInbound(request: InboundRequest): Promise<{ outcome: InboundOutcome; changes: Change[] }> {
    const account = this.linkedAccount(request.accountId, 'accountId');
    const link = account.link!;
    const from = requirePhone(request.from, 'from');
    if (from === link.phone) throw new WaError('INVALID_ARGUMENT', 'a phone cannot message its own linked device', { field: 'from' });
    const fromJid = phoneJid(from);
    const at = request.timestamp ?? this.now();
    const messageId = request.messageId ?? inboundMessageId();
    let groupJid: string | null = null;
    const changes: Change[] = [];
    if (request.group !== null) {
      groupJid = groupJidOf(request.group);
      if (groupJid === null) throw new WaError('INVALID_ARGUMENT', 'group must be a group id such as 120363012345678901@g.us', { field: 'group' });
      const group = this.state.groups.get(groupJid);
      if (!group) {
        // A group the account was added to by someone else: it appears with its first message.
        const meta = newGroupMeta(groupJid, `Group ${groupJid.split('@')[0]!.slice(-4)}`, fromJid, at, [
          { jid: fromJid, admin: 'superadmin' },
          { jid: link.jid, admin: null },
        ]);
        changes.push({ op: 'group', group: { meta, inviteCode: inviteCode(), pictureSha256: null } });
        changes.push(this.groupNotice(account.accountId, groupJid, fromJid, at, { action: 'create', metadata: meta }));
      } else {
        if (!isParticipant(group, link.jid)) throw new WaError('CONFLICT', 'the account is not a participant of this group', { field: 'group' });
        if (!isParticipant(group, fromJid)) throw new WaError('INVALID_ARGUMENT', 'the sender is not a participant of this group', { field: 'from' });
      }
    }
    const chatJid = groupJid ?? fromJid;
    if (account.blocklist.has(fromJid)) return { outcome: { messageId, duplicate: false, blocked: true }, changes: [] };
    if (account.inboxById.get(messageId)?.chatJid === chatJid) return { outcome: { messageId, duplicate: true, blocked: false }, changes: [] };

    const content: InboundContent = { ...request.content };
    if (request.quotedMessageId !== null) content.quoted = this.quote(account, chatJid, request.quotedMessageId);
    if (isMediaType(content.type)) {
      const defaults = MEDIA_DEFAULTS[content.type];
      const bytes = request.media ?? Buffer.from(`simulated ${content.type} ${messageId}`);
      const stored = await this.storePhoneMedia(bytes, defaults.mediaType, request.mimetype ?? defaults.mimetype, at);
      content.media = stored.media;
      changes.push(stored.change);
    }
    const message = buildInboundMessage(content);
    const raw = Buffer.from(proto.Message.encode(message).finish()).toString('base64');
    // Awaits above let other requests in: check the dedupe again before committing.
    if (account.inboxById.get(messageId)?.chatJid === chatJid) return { outcome: { messageId, duplicate: true, blocked: false }, changes: [] };
    changes.push(
      ...this.deliverMessage(account, {
        messageId,
        chatJid,
        senderJid: fromJid,
        pushName: request.pushName ?? `User ${from.slice(-4)}`,
        timestamp: at,
        raw,
        summary: summarizeMessage(message).summary,
        media: content.media ? { sha256: Buffer.from(content.media.fileSha256).toString('hex'), size: content.media.fileLength } : null,
        sourceAccountId: null,
      }),
    );
    return { outcome: { messageId, duplicate: false, blocked: false }, changes };
  }

  /** The recipient's phone acknowledges an outbound message. */
  async receipt(request: { accountId: string; messageId: string; status: ReceiptStatus; from: string | null }): Promise<{
    messageId: string;
    status: OutboxEntry['status'];
  }> {
    const account = this.linkedAccount(request.accountId, 'accountId');
    const entry = account.outboxById.get(request.messageId);
    if (!entry) throw new WaError('NOT_FOUND', 'the account sent no message with this id', { field: 'messageId' });
    let recipients: string[];
    if (isGroupJid(entry.chatJid)) {
      const group = this.state.groups.get(entry.chatJid);
      const others = (group?.meta.participants ?? []).map((p) => p.jid).filter((jid) => jid !== account.link!.jid);
      if (request.from !== null) {
        const fromJid = phoneJid(requirePhone(request.from, 'from'));
        if (!others.includes(fromJid)) throw new WaError('INVALID_ARGUMENT', 'from is not a participant of the group', { field: 'from' });
        recipients = [fromJid];
      } else {
        recipients = others;
      }
    } else {
      if (request.from !== null && phoneJid(requirePhone(request.from, 'from')) !== entry.chatJid) {
        throw new WaError('INVALID_ARGUMENT', 'from is not the recipient of this message', { field: 'from' });
      }
      recipients = [entry.chatJid];
    }
    const changes = recipients.flatMap((jid) => this.receiptChanges(account, entry, jid, request.status));
    await this.commit(changes, [account.accountId]);
    return { messageId: entry.messageId, status: entry.status };
  }

  /** What the account sent, optionally only to one phone or group. */
  outbox(accountId: string, to: string | null): Array<Omit<OutboxEntry, 'raw'>> {
    const account = this.knownAccount(accountId);
    let chatJid: string | null = null;
    if (to !== null) {
      chatJid = groupJidOf(to) ?? userJidOf(to);
      if (chatJid === null) throw new WaError('INVALID_ARGUMENT', 'to must be a phone number or a group id', { field: 'to' });
    }
    return account.outbox.filter((entry) => chatJid === null || entry.chatJid === chatJid).map(({ raw: _raw, ...entry }) => entry);
  }

  /** What the account received (the most recent messages), with delivery and read state. */
  inbox(accountId: string, from: string | null): Array<Omit<InboxEntry, 'raw' | 'deliveryId'>> {
    const account = this.knownAccount(accountId);
    const fromPhone = from === null ? null : requirePhone(from, 'from');
    return account.inbox
      .filter((entry) => fromPhone === null || entry.from === fromPhone)
      .map(({ raw: _raw, deliveryId: _id, ...entry }) => entry);
  }

  /** The account as the network sees it. */
  account(accountId: string): Record<string, unknown> {
    const account = this.knownAccount(accountId);
    const sessionId = this.currentSession.get(accountId);
    const session = sessionId === undefined ? undefined : this.sessions.get(sessionId);
    return {
      accountId,
      linked: account.link !== null,
      phone: account.link?.phone ?? null,
      jid: account.link?.jid ?? null,
      name: account.link?.name ?? null,
      linkedAt: account.link?.linkedAt ?? null,
      pairingCode: account.pairing?.code ?? null,
      session: session ? { state: session.linked ? 'connected' : 'awaiting-link' } : null,
      sessionsReplaced: this.replacements.get(accountId) ?? 0,
      pendingDeliveries: account.queue.size,
      profile: { status: account.profile.status, hasPicture: account.profile.pictureSha256 !== null, business: account.profile.business },
      presence: account.presence,
      blocklist: [...account.blocklist],
      labels: [...account.labels.values()],
      chats: Object.fromEntries(account.chats),
      groups: [...this.state.groups.values()].filter((group) => account.link && isParticipant(group, account.link.jid)).map((g) => g.meta.id),
      newsletters: account.newsletters,
    };
  }

  /** A group's metadata and invite code; throws NOT_FOUND for an unknown group. */
  group(groupId: string): GroupMetadataWire & { inviteCode: string } {
    const jid = groupJidOf(groupId);
    const group = jid === null ? undefined : this.state.groups.get(jid);
    if (!group) throw new WaError('NOT_FOUND', 'no such group', { field: 'groupId' });
    return { ...group.meta, inviteCode: group.inviteCode };
  }

  /** Streams stored plaintext media by its SHA-256. */
  openMedia(sha256: string): Promise<{ stream: Readable; size: number }> {
    return this.vault.openPlain(sha256);
  }

  /** Counts for the health route. */
  health(): { accounts: number; linked: number; sessions: number } {
    const accounts = [...this.state.accounts.values()];
    return { accounts: accounts.length, linked: accounts.filter((a) => a.link).length, sessions: this.currentSession.size };
  }

  // ---------------------------------------------------------------- driver API

  /** Opens a device session for an account; a newer session replaces an older one (its poll ends with `replaced`). */
  async openSession(request: OpenSessionRequest): Promise<OpenSessionResponse> {
    const account = this.state.accounts.get(request.accountId);
    if (request.meId !== null) {
      if (!account?.link || userOf(request.meId) !== account.link.phone) return { status: 'logged-out', sessionId: null };
      const session = this.startSession(request.accountId, true);
      return { status: 'connected', sessionId: session.id, me: { id: account.link.jid, name: account.link.name } };
    }
    const at = this.now();
    const changes: Change[] = [];
    if (!account) changes.push({ op: 'account', accountId: request.accountId, at });
    else if (account.link && !hasPendingLink(account)) {
      // A device without credentials while the account is linked: the old device is gone for good.
      changes.push({ op: 'unlink', accountId: request.accountId });
    }
    if (changes.length > 0) await this.commit(changes, []);
    const session = this.startSession(request.accountId, false);
    const plan: QrPlan = {
      refs: Array.from({ length: this.qr.count }, () => `2@${randomBytes(36).toString('base64')}`),
      firstMs: this.qr.firstMs,
      nextMs: this.qr.nextMs,
    };
    return { status: 'awaiting-link', sessionId: session.id, qr: plan };
  }

  /** Long-polls the account's queue: resolves with the next run of deliveries, at `waitMs`, or when the session ends. */
  async poll(sessionId: string, waitMs: number, max: number): Promise<PollResponse> {
    const session = this.requireSession(sessionId);
    const deadline = this.now() + waitMs;
    for (;;) {
      if (session.ended) return { deliveries: [], ended: session.ended };
      const deliveries = this.lease(session, Math.max(1, Math.min(max, this.maxBatch)));
      if (deliveries.length > 0) return { deliveries, ended: null };
      const remaining = deadline - this.now();
      if (remaining <= 0) return { deliveries: [], ended: null };
      await this.waitForChange(session.accountId, remaining);
    }
  }

  /** Acknowledges deliveries: they are handled (durably) and are never offered again. */
  async ack(sessionId: string, deliveryIds: readonly string[]): Promise<number> {
    const session = this.requireSession(sessionId);
    const account = this.state.accounts.get(session.accountId);
    if (!account) return 0;
    const at = this.now();
    const changes: Change[] = [];
    const touched = new Set<string>([account.accountId]);
    for (const wireId of deliveryIds) {
      const parsed = parseDeliveryId(wireId);
      const item = parsed && account.queue.get(parsed.id);
      if (!parsed || !item) continue;
      if (item.job ? parsed.chunk !== item.job.nextChunk : parsed.chunk !== null) continue;
      changes.push({ op: 'ack', accountId: account.accountId, id: parsed.id, chunk: parsed.chunk, at });
      // The sending phone learns its message reached the device: a delivery receipt.
      if (item.body?.kind === 'message') {
        const entry = account.inboxById.get(item.body.messageId);
        const source = entry?.sourceAccountId ? this.state.accounts.get(entry.sourceAccountId) : undefined;
        const sent = source?.outboxByKey.get(messageKey(outboundChatOf(entry!, account), entry!.messageId));
        if (source && sent && account.link) {
          changes.push(...this.receiptChanges(source, sent, account.link.jid, 'delivered'));
          touched.add(source.accountId);
        }
      }
    }
    // commit() applies at once, so the lease can go before the changes are on disk.
    const committed = changes.length > 0 ? this.commit(changes, [...touched]) : Promise.resolve();
    this.settleLease(account.accountId, deliveryIds);
    await committed;
    return changes.filter((change) => change.op === 'ack').length;
  }

  /** Gives leased deliveries back at once (the handler failed), so they are offered again without waiting for the timeout. */
  release(sessionId: string, deliveryIds: readonly string[]): number {
    const session = this.requireSession(sessionId);
    const lease = this.leases.get(session.accountId);
    if (!lease || lease.sessionId !== sessionId || !deliveryIds.some((id) => lease.ids.has(id))) return 0;
    this.dropLease(session.accountId);
    this.wake(session.accountId);
    return deliveryIds.length;
  }

  /** Ends a session without unlinking (the connector closed it). */
  closeSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session) this.endSession(session, 'closed');
  }

  /** Stores an encrypted upload (the device's media upload) and names where it lives. */
  async upload(sessionId: string, mediaType: string, declaredEncSha256: string | null, body: Readable): Promise<UploadResponse> {
    this.liveSession(sessionId, true);
    const { encSha256 } = await this.vault.saveUpload(body, this.maxMediaBytes);
    if (declaredEncSha256 !== null && declaredEncSha256 !== encSha256) {
      throw new WaError('INVALID_ARGUMENT', 'upload does not match its declared SHA-256', { field: 'fileEncSha256' });
    }
    await this.commit([{ op: 'upload', encSha256, mediaType }], []);
    const directPath = directPathOf(encSha256, this.now());
    return { directPath, mediaUrl: `${MEDIA_HOST}${directPath}&mms3=true` };
  }

  /** Plaintext media by directPath (or by plaintext SHA-256, hex or base64); throws NOT_FOUND. */
  async downloadMedia(directPath: string | null, fileSha256: string | null): Promise<{ stream: Readable; size: number; mimetype: string | null }> {
    const record = directPath === null ? undefined : this.state.media.get(directPath);
    let sha256 = record?.sha256 ?? null;
    if (sha256 === null && fileSha256 !== null) {
      sha256 = /^[0-9a-f]{64}$/.test(fileSha256) ? fileSha256 : Buffer.from(fileSha256, 'base64').toString('hex');
    }
    if (sha256 === null) throw new WaError('NOT_FOUND', 'no media at this directPath', { field: 'directPath' });
    const { stream, size } = await this.vault.openPlain(sha256);
    return { stream, size, mimetype: record?.mimetype ?? null };
  }

  /** Runs one socket operation for the session's account. */
  async rpc<R extends RpcRequest>(sessionId: string, request: R): Promise<RpcResults[R['op']]> {
    return (await this.runRpc(sessionId, request)) as RpcResults[R['op']];
  }

  private async runRpc(sessionId: string, request: RpcRequest): Promise<unknown> {
    if (request.op === 'pairingCode') {
      const session = this.liveSession(sessionId, false);
      if (session.linked) throw new WaError('CONFLICT', 'the device is already linked', { field: 'phone' });
      const phone = requirePhone(request.phone, 'phone');
      const code = Array.from({ length: 8 }, () => PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)]).join('');
      await this.commit([{ op: 'pairing', accountId: session.accountId, phone, code, at: this.now() }], []);
      return code;
    }
    const session = this.liveSession(sessionId, true);
    const account = this.linkedAccount(session.accountId);
    const me = account.link!.jid;
    const at = this.now();
    switch (request.op) {
      case 'relay':
        return this.relay(account, request.jid, request.message);
      case 'onWhatsApp':
        return request.phones
          .map((phone) => phoneDigits(phone))
          .filter((phone): phone is string => phone !== null && isOnWhatsApp(phone))
          .map((phone) => ({ jid: phoneJid(phone), exists: true }));
      case 'appPatch':
        return this.appPatch(account, request.index, request.value);
      case 'readMessages': {
        const ids = request.keys.map((key) => key.id);
        const changes: Change[] = [{ op: 'inbox-read', accountId: account.accountId, messageIds: ids, at }];
        const touched = new Set([account.accountId]);
        for (const id of ids) {
          const entry = account.inboxById.get(id);
          const source = entry?.sourceAccountId ? this.state.accounts.get(entry.sourceAccountId) : undefined;
          const sent = source?.outboxByKey.get(messageKey(outboundChatOf(entry!, account), id));
          if (source && sent && entry!.readAt === null) {
            changes.push(...this.receiptChanges(source, sent, me, 'read'));
            touched.add(source.accountId);
          }
        }
        await this.commit(changes, [...touched]);
        return null;
      }
      case 'updateBlockStatus': {
        const jid = requireUserJid(request.jid, 'jid');
        const blocked = request.action === 'block';
        await this.commit(
          [
            { op: 'blocklist', accountId: account.accountId, jid, blocked },
            this.enqueue(account.accountId, { kind: 'blocklist', jids: [jid], type: blocked ? 'add' : 'remove' }),
          ],
          [account.accountId],
        );
        return null;
      }
      case 'fetchBlocklist':
        return [...account.blocklist];
      case 'profilePictureUrl': {
        const sha = isGroupJid(request.jid) ? this.state.groups.get(request.jid)?.pictureSha256 : this.accountByPhone(userOf(request.jid))?.profile.pictureSha256;
        if (!sha) throw new WaError('NOT_FOUND', 'item-not-found', { field: 'jid' });
        return `${this.publicUrl}/sim/media/${sha}`;
      }
      case 'fetchStatus':
        return request.jids.flatMap((jid) => {
          const phone = phoneDigits(jid);
          if (phone === null || !isOnWhatsApp(phone)) return [];
          const profile = this.accountByPhone(phone)?.profile;
          return [{ id: phoneJid(phone), status: { status: profile?.status ?? DEFAULT_STATUS, setAt: profile?.statusSetAt ?? 0 } }];
        });
      case 'updateProfileStatus':
        await this.commit([{ op: 'profile', accountId: account.accountId, status: request.status, statusSetAt: at }], []);
        return null;
      case 'updateProfilePicture': {
        const { sha256 } = await this.vault.putPlain(Buffer.from(request.image, 'base64'));
        if (isGroupJid(request.jid)) {
          const group = this.adminGroup(request.jid, me);
          await this.commit([{ op: 'group', group: { ...group, pictureSha256: sha256 } }], []);
        } else {
          if (userOf(request.jid) !== account.link!.phone) throw new WaError('FORBIDDEN', 'can only change your own picture', { field: 'jid' });
          await this.commit([{ op: 'profile', accountId: account.accountId, pictureSha256: sha256 }], []);
        }
        return null;
      }
      case 'getBusinessProfile':
        return this.accountByPhone(userOf(request.jid))?.profile.business ?? null;
      case 'updateBusinessProfile': {
        const business = businessProfile(request.profile, account.profile.business, me);
        await this.commit([{ op: 'profile', accountId: account.accountId, business }], []);
        return business;
      }
      case 'groupCreate':
        return this.groupCreate(account, request.subject, request.participants);
      case 'groupMetadata':
        return this.memberGroup(request.jid, me).meta;
      case 'groupUpdateSubject': {
        const group = this.memberGroup(request.jid, me);
        if (group.meta.restrict && !isAdmin(group, me)) throw new WaError('FORBIDDEN', 'not-authorized', { field: 'jid' });
        const meta = { ...group.meta, subject: request.subject, subjectOwner: me, subjectTime: Math.floor(at / 1000) };
        await this.updateGroup({ ...group, meta }, me, { action: 'subject', subject: request.subject });
        return null;
      }
      case 'groupUpdateDescription': {
        const group = this.memberGroup(request.jid, me);
        if (group.meta.restrict && !isAdmin(group, me)) throw new WaError('FORBIDDEN', 'not-authorized', { field: 'jid' });
        const meta: GroupMetadataWire = {
          ...group.meta,
          desc: request.description,
          descId: request.description === null ? null : randomBytes(8).toString('hex').toUpperCase(),
          descOwner: request.description === null ? null : me,
          descTime: request.description === null ? null : Math.floor(at / 1000),
        };
        await this.updateGroup({ ...group, meta }, me, { action: 'description', description: request.description });
        return null;
      }
      case 'groupSettingUpdate': {
        const group = this.adminGroup(request.jid, me);
        const meta = { ...group.meta };
        if (request.setting === 'announcement' || request.setting === 'not_announcement') meta.announce = request.setting === 'announcement';
        else meta.restrict = request.setting === 'locked';
        await this.updateGroup({ ...group, meta }, me, { action: request.setting });
        return null;
      }
      case 'groupToggleEphemeral': {
        const group = this.memberGroup(request.jid, me);
        const meta = { ...group.meta, ephemeralDuration: request.expiration > 0 ? request.expiration : null };
        await this.updateGroup({ ...group, meta }, me, { action: 'ephemeral', expiration: request.expiration });
        return null;
      }
      case 'groupLeave': {
        const group = this.memberGroup(request.jid, me);
        const leaving = group.meta.participants.filter((p) => p.jid === me);
        const meta = { ...group.meta, participants: group.meta.participants.filter((p) => p.jid !== me) };
        await this.updateGroup({ ...group, meta }, me, { action: 'remove', participants: leaving }, group.meta.participants);
        return null;
      }
      case 'groupParticipantsUpdate':
        return this.groupParticipants(account, request.jid, request.participants, request.action);
      case 'groupInviteCode':
        return this.adminGroup(request.jid, me).inviteCode;
      case 'groupRevokeInvite': {
        const group = this.adminGroup(request.jid, me);
        const code = inviteCode();
        await this.updateGroup({ ...group, inviteCode: code }, me, { action: 'invite', code });
        return code;
      }
      case 'sendPresenceUpdate':
        await this.commit([{ op: 'presence', accountId: account.accountId, presence: request.presence, toJid: request.toJid, at }], []);
        return null;
      case 'newsletterCreate': {
        const newsletter = {
          id: `120363${digits(12)}@newsletter`,
          name: request.name,
          description: request.description ?? '',
          creation_time: Math.floor(at / 1000),
          invite: randomBytes(12).toString('base64url'),
          subscribers: 0,
          verification: 'UNVERIFIED' as const,
          mute_state: 'OFF' as const,
        };
        await this.commit([{ op: 'newsletter', accountId: account.accountId, newsletter }], []);
        return newsletter;
      }
      case 'logout':
        await this.commit([{ op: 'unlink', accountId: account.accountId }], [account.accountId]);
        this.endAccountSession(account.accountId, 'logged-out');
        return null;
      default: {
        const unknown: never = request;
        throw new WaError('INVALID_ARGUMENT', `unknown operation ${JSON.stringify(unknown)}`, { field: 'op' });
      }
    }
  }

  // ---------------------------------------------------------------- messages

  private async relay(account: AccountState, jid: string, encoded: string): Promise<RpcResults['relay']> {
    let message: proto.WebMessageInfo;
    try {
      message = proto.WebMessageInfo.decode(Buffer.from(encoded, 'base64'));
    } catch {
      throw new WaError('INVALID_ARGUMENT', 'message is not an encoded proto.WebMessageInfo', { field: 'message' });
    }
    const messageId = message.key?.id;
    if (!messageId) throw new WaError('INVALID_ARGUMENT', 'message has no key.id', { field: 'message' });
    const me = account.link!.jid;
    const chatJid = jid === STATUS_JID || isNewsletterJid(jid) ? jid : isGroupJid(jid) ? groupJidOf(jid) : userJidOf(jid);
    if (chatJid === null) throw new WaError('INVALID_ARGUMENT', 'jid must be a phone-number, group, newsletter or status@broadcast JID', { field: 'jid' });
    let group: GroupState | undefined;
    if (isGroupJid(chatJid)) {
      group = this.memberGroup(chatJid, me);
      if (group.meta.announce && !isAdmin(group, me)) throw new WaError('FORBIDDEN', 'not-authorized', { field: 'jid' });
    } else if (isNewsletterJid(chatJid)) {
      if (!account.newsletters.some((n) => n.id === chatJid)) throw new WaError('FORBIDDEN', 'not-authorized', { field: 'jid' });
    } else if (chatJid !== STATUS_JID && !isOnWhatsApp(userOf(chatJid))) {
      throw new WaError('NOT_FOUND', 'recipient is not on WhatsApp', { field: 'jid' });
    }
    if (account.outboxByKey.has(messageKey(chatJid, messageId))) return { messageId, duplicate: true };

    const at = this.now();
    const changes: Change[] = [];
    const { summary, media } = summarizeMessage(message.message);
    let mediaInfo: { sha256: string; size: number } | null = null;
    if (media?.fileEncSha256 && media.mediaKey && media.directPath) {
      const encSha256 = Buffer.from(media.fileEncSha256).toString('hex');
      const known = this.state.media.get(media.directPath);
      if (known) {
        mediaInfo = { sha256: known.sha256, size: known.size };
      } else {
        const encrypted = await this.vault.readUpload(encSha256);
        if (!encrypted) throw new WaError('INVALID_ARGUMENT', 'the message names media that was never uploaded', { field: 'message' });
        const mediaType = (this.state.uploads.get(encSha256) ?? media.mediaType) as MediaType;
        const plain = await decryptMedia(encrypted, media.mediaKey, mediaType);
        if (media.fileSha256 && !createHash('sha256').update(plain).digest().equals(Buffer.from(media.fileSha256))) {
          throw new WaError('INVALID_ARGUMENT', 'decrypted media does not match fileSha256', { field: 'message' });
        }
        mediaInfo = await this.vault.putPlain(plain);
        changes.push({ op: 'media', directPath: media.directPath, record: { ...mediaInfo, mimetype: media.mimetype } });
        changes.push({ op: 'upload', encSha256, mediaType: null });
      }
    }
    if (account.outboxByKey.has(messageKey(chatJid, messageId))) return { messageId, duplicate: true };
    const timestamp = message.messageTimestamp ? toNumber(message.messageTimestamp) * 1000 : at;
    const entry: OutboxEntry = {
      messageId,
      to: isUserJid(chatJid) ? userOf(chatJid) : chatJid,
      chatJid,
      timestamp,
      status: 'sent',
      receipts: [],
      raw: encoded,
      ...withMedia(summary, mediaInfo),
    };
    changes.push({ op: 'outbound', accountId: account.accountId, entry });
    if (!account.chats.has(chatJid)) changes.push({ op: 'first-contact', accountId: account.accountId, chatJid, at });
    if ((summary.type === 'edit' || summary.type === 'revoke') && summary.targetMessageId) {
      changes.push({
        op: 'outbound-mark',
        accountId: account.accountId,
        chatJid,
        messageId: summary.targetMessageId,
        ...(summary.type === 'edit' ? { editedText: summary.text ?? '' } : { revoked: true }),
      });
    }

    // Recipients linked to this same simulator get the message as an inbound one. Stories and
    // channel posts are only recorded: the simulator has no viewers or subscribers.
    const touched = new Set([account.accountId]);
    const recipients = group ? group.meta.participants.map((p) => p.jid).filter((p) => p !== me) : isUserJid(chatJid) ? [chatJid] : [];
    const content = message.message ? Buffer.from(proto.Message.encode(message.message).finish()).toString('base64') : '';
    for (const recipientJid of recipients) {
      const recipient = this.accountByPhone(userOf(recipientJid));
      if (!recipient?.link || recipient.blocklist.has(me)) continue;
      if (recipient.inboxById.get(messageId)) continue;
      changes.push(
        ...this.deliverMessage(recipient, {
          messageId,
          chatJid: group ? chatJid : me,
          senderJid: me,
          pushName: account.link!.name,
          timestamp,
          raw: content,
          summary,
          media: mediaInfo,
          sourceAccountId: account.accountId,
        }),
      );
      touched.add(recipient.accountId);
    }
    await this.commit(changes, [...touched]);
    return { messageId, duplicate: false };
  }

  /** The changes that put one received message into an account's inbox and queue. */
  private deliverMessage(
    account: AccountState,
    message: {
      messageId: string;
      chatJid: string;
      senderJid: string;
      pushName: string | null;
      timestamp: number;
      raw: string;
      summary: MessageSummary;
      media: { sha256: string; size: number } | null;
      sourceAccountId: string | null;
    },
  ): Change[] {
    const group = isGroupJid(message.chatJid);
    const firstContact = !account.chats.has(message.chatJid);
    const delivery = this.enqueue(account.accountId, {
      kind: 'message',
      messageId: message.messageId,
      chatJid: message.chatJid,
      participant: group ? message.senderJid : null,
      pushName: message.pushName,
      timestamp: Math.floor(message.timestamp / 1000),
      message: message.raw,
      firstContact,
    });
    const entry: InboxEntry = {
      messageId: message.messageId,
      chatJid: message.chatJid,
      from: userOf(message.senderJid),
      group: group ? message.chatJid : null,
      timestamp: message.timestamp,
      raw: message.raw,
      deliveryId: delivery.op === 'enqueue' ? delivery.id : 0,
      deliveredAt: null,
      readAt: null,
      sourceAccountId: message.sourceAccountId,
      ...withMedia(message.summary, message.media),
    };
    return [
      ...(firstContact ? [{ op: 'first-contact' as const, accountId: account.accountId, chatJid: message.chatJid, at: message.timestamp }] : []),
      { op: 'inbound', accountId: account.accountId, entry },
      delivery,
    ];
  }

  private receiptChanges(account: AccountState, entry: OutboxEntry, fromJid: string, status: ReceiptStatus): Change[] {
    const already = entry.receipts.some((r) => r.from === userOf(fromJid) && (r.status === status || r.status === 'read'));
    if (already) return [];
    const at = this.now();
    const group = isGroupJid(entry.chatJid);
    return [
      { op: 'outbound-receipt', accountId: account.accountId, chatJid: entry.chatJid, messageId: entry.messageId, from: userOf(fromJid), status, at },
      this.enqueue(account.accountId, {
        kind: 'receipt',
        chatJid: entry.chatJid,
        messageIds: [entry.messageId],
        participant: group ? fromJid : null,
        status,
        timestamp: Math.floor(at / 1000),
      }),
    ];
  }

  private quote(account: AccountState, chatJid: string, messageId: string): NonNullable<InboundContent['quoted']> {
    const received = account.inboxById.get(messageId);
    if (received) {
      return {
        messageId,
        participant: phoneJid(received.from),
        message: proto.Message.decode(Buffer.from(received.raw, 'base64')),
        ...(received.chatJid !== chatJid ? { remoteJid: received.chatJid } : {}),
      };
    }
    const sent = account.outboxById.get(messageId);
    if (sent) {
      const info = proto.WebMessageInfo.decode(Buffer.from(sent.raw, 'base64'));
      return {
        messageId,
        participant: account.link!.jid,
        message: info.message ?? {},
        ...(sent.chatJid !== chatJid ? { remoteJid: sent.chatJid } : {}),
      };
    }
    throw new WaError('NOT_FOUND', 'no message with this id in the account', { field: 'quotedMessageId' });
  }

  private async storePhoneMedia(
    bytes: Buffer,
    mediaType: MediaType,
    mimetype: string,
    at: number,
  ): Promise<{ media: NonNullable<InboundContent['media']>; change: Change }> {
    if (bytes.length > this.maxMediaBytes) throw new WaError('PAYLOAD_TOO_LARGE', `media exceeds ${this.maxMediaBytes} bytes`, { field: 'media' });
    const encrypted = await encryptMedia(bytes, mediaType);
    const { sha256, size } = await this.vault.putPlain(bytes);
    const directPath = directPathOf(encrypted.fileEncSha256.toString('hex'), at);
    return {
      media: {
        url: `${MEDIA_HOST}${directPath}&mms3=true`,
        directPath,
        mediaKey: encrypted.mediaKey,
        fileSha256: encrypted.fileSha256,
        fileEncSha256: encrypted.fileEncSha256,
        fileLength: size,
        mimetype,
        mediaKeyTimestamp: Math.floor(at / 1000),
      },
      change: { op: 'media', directPath, record: { sha256, size, mimetype } },
    };
  }

  private async appPatch(account: AccountState, index: string[], encoded: string): Promise<null> {
    let value: proto.SyncActionValue;
    try {
      value = proto.SyncActionValue.decode(Buffer.from(encoded, 'base64'));
    } catch {
      throw new WaError('INVALID_ARGUMENT', 'value is not an encoded proto.SyncActionValue', { field: 'value' });
    }
    const accountId = account.accountId;
    const [type, id = '', third = ''] = index;
    const changes: Change[] = [];
    if (value.archiveChatAction) changes.push({ op: 'chat', accountId, chatJid: id, patch: { archived: !!value.archiveChatAction.archived } });
    else if (value.muteAction) {
      const muteEndTime = value.muteAction.muted ? toNumber(value.muteAction.muteEndTimestamp ?? 0) : null;
      changes.push({ op: 'chat', accountId, chatJid: id, patch: { muteEndTime } });
    } else if (value.pinAction) changes.push({ op: 'chat', accountId, chatJid: id, patch: { pinned: !!value.pinAction.pinned } });
    else if (value.markChatAsReadAction) changes.push({ op: 'chat', accountId, chatJid: id, patch: { markedUnread: !value.markChatAsReadAction.read } });
    else if (value.deleteChatAction) changes.push({ op: 'chat', accountId, chatJid: id, patch: { deleted: true } });
    else if (value.starAction) changes.push({ op: 'star', accountId, key: messageKey(id, third), starred: !!value.starAction.starred });
    else if (value.labelEditAction) {
      const action = value.labelEditAction;
      changes.push({
        op: 'label',
        accountId,
        label: {
          id,
          name: action.name ?? '',
          color: action.color ?? 0,
          deleted: !!action.deleted,
          ...(action.predefinedId ? { predefinedId: String(action.predefinedId) } : {}),
        },
      });
    } else if (value.labelAssociationAction && type === 'label_jid') {
      changes.push({ op: 'chat-label', accountId, chatJid: third, labelId: id, labeled: !!value.labelAssociationAction.labeled });
    } else if (value.pushNameSetting?.name) {
      changes.push({ op: 'link', accountId, link: { ...account.link!, name: value.pushNameSetting.name } });
    }
    changes.push(this.enqueue(accountId, { kind: 'app-state', index, value: encoded }));
    await this.commit(changes, [accountId]);
    return null;
  }

  // ---------------------------------------------------------------- groups

  private async groupCreate(account: AccountState, subject: string, participants: string[]): Promise<GroupMetadataWire> {
    const me = account.link!.jid;
    const at = this.now();
    const members: ParticipantWire[] = [{ jid: me, admin: 'superadmin' }];
    for (const participant of participants) {
      const jid = requireUserJid(participant, 'participants');
      if (jid !== me && isOnWhatsApp(userOf(jid)) && !members.some((m) => m.jid === jid)) members.push({ jid, admin: null });
    }
    const meta = newGroupMeta(`120363${digits(12)}@g.us`, subject, me, at, members);
    const group: GroupState = { meta, inviteCode: inviteCode(), pictureSha256: null };
    await this.updateGroup(group, me, { action: 'create', metadata: meta });
    return meta;
  }

  private async groupParticipants(
    account: AccountState,
    jid: string,
    participants: string[],
    action: 'add' | 'remove' | 'promote' | 'demote',
  ): Promise<RpcResults['groupParticipantsUpdate']> {
    const me = account.link!.jid;
    const group = this.adminGroup(jid, me);
    const members = [...group.meta.participants];
    const results: RpcResults['groupParticipantsUpdate'] = [];
    const affected: ParticipantWire[] = [];
    for (const participant of participants) {
      const target = requireUserJid(participant, 'participants');
      const index = members.findIndex((m) => m.jid === target);
      let status = '200';
      switch (action) {
        case 'add':
          if (!isOnWhatsApp(userOf(target))) status = '404';
          else if (index >= 0) status = '409';
          else members.push({ jid: target, admin: null });
          break;
        case 'remove':
          if (index < 0) status = '404';
          else members.splice(index, 1);
          break;
        case 'promote':
        case 'demote':
          if (index < 0) status = '404';
          else members[index] = { jid: target, admin: action === 'promote' ? 'admin' : null };
          break;
        default: {
          const unknown: never = action;
          throw new WaError('INVALID_ARGUMENT', `unknown action ${String(unknown)}`, { field: 'action' });
        }
      }
      results.push({ status, jid: target });
      if (status === '200') affected.push(members.find((m) => m.jid === target) ?? { jid: target, admin: null });
    }
    if (affected.length > 0) {
      const before = group.meta.participants;
      await this.updateGroup({ ...group, meta: { ...group.meta, participants: members } }, me, { action, participants: affected }, before);
    }
    return results;
  }

  /** Stores a group change and sends its notification to every linked account in the group (before and after). */
  private async updateGroup(group: GroupState, author: string, change: GroupChange, previousMembers: ParticipantWire[] = []): Promise<void> {
    const at = this.now();
    const audience = new Set([...previousMembers, ...group.meta.participants].map((p) => p.jid));
    const changes: Change[] = [{ op: 'group', group }];
    const touched: string[] = [];
    for (const jid of audience) {
      const member = this.accountByPhone(userOf(jid));
      if (!member?.link) continue;
      // Someone added later learns of the group as a whole, like a create.
      const joined = change.action === 'add' && change.participants.some((p) => p.jid === jid);
      changes.push(this.groupNotice(member.accountId, group.meta.id, author, at, joined ? { action: 'create', metadata: group.meta } : change));
      touched.push(member.accountId);
    }
    await this.commit(changes, touched);
  }

  private groupNotice(accountId: string, groupJid: string, author: string, at: number, change: GroupChange): Change {
    return this.enqueue(accountId, {
      kind: 'group',
      notificationId: randomBytes(8).toString('hex').toUpperCase(),
      groupJid,
      author,
      timestamp: Math.floor(at / 1000),
      change,
    });
  }

  private memberGroup(jid: string, me: string): GroupState {
    const groupJid = groupJidOf(jid);
    const group = groupJid === null ? undefined : this.state.groups.get(groupJid);
    if (!group) throw new WaError('NOT_FOUND', 'item-not-found', { field: 'jid' });
    if (!isParticipant(group, me)) throw new WaError('FORBIDDEN', 'forbidden', { field: 'jid' });
    return group;
  }

  private adminGroup(jid: string, me: string): GroupState {
    const group = this.memberGroup(jid, me);
    if (!isAdmin(group, me)) throw new WaError('FORBIDDEN', 'not-authorized', { field: 'jid' });
    return group;
  }

  // ---------------------------------------------------------------- sessions and leases

  private startSession(accountId: string, linked: boolean): Session {
    const previous = this.currentSession.get(accountId);
    if (previous !== undefined && this.sessions.get(previous)?.ended === null) this.replacements.set(accountId, (this.replacements.get(accountId) ?? 0) + 1);
    this.endAccountSession(accountId, 'replaced');
    const session: Session = { id: randomBytes(12).toString('hex'), accountId, linked, ended: null };
    this.sessions.set(session.id, session);
    this.currentSession.set(accountId, session.id);
    return session;
  }

  private endAccountSession(accountId: string, reason: SessionEnd): void {
    const sessionId = this.currentSession.get(accountId);
    const session = sessionId === undefined ? undefined : this.sessions.get(sessionId);
    if (session) this.endSession(session, reason);
  }

  private endSession(session: Session, reason: SessionEnd): void {
    if (!session.ended) session.ended = reason;
    if (this.currentSession.get(session.accountId) === session.id) this.currentSession.delete(session.accountId);
    // Whatever the ended session held is offered to the next one straight away.
    if (this.leases.get(session.accountId)?.sessionId === session.id) this.dropLease(session.accountId);
    this.wake(session.accountId);
    // Ended sessions are kept briefly so a late ack or poll gets a clear answer rather than 404.
    setTimeout(() => this.sessions.delete(session.id), 60_000).unref();
  }

  private requireSession(sessionId: string): Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw new WaError('NOT_FOUND', 'unknown session', { field: 'sessionId' });
    return session;
  }

  /** A session that has not ended; `linked` sessions only, unless told otherwise. */
  private liveSession(sessionId: string, mustBeLinked: boolean): Session {
    const session = this.requireSession(sessionId);
    if (session.ended) throw new WaError('UNAVAILABLE', `session ended (${session.ended})`, { details: { httpStatus: 410 } });
    if (mustBeLinked && !session.linked) {
      const account = this.state.accounts.get(session.accountId);
      if (!account?.link || hasPendingLink(account)) throw new WaError('UNAUTHORIZED', 'the device is not linked yet', { field: 'sessionId' });
      session.linked = true;
    }
    return session;
  }

  private lease(session: Session, max: number): Delivery[] {
    const account = this.state.accounts.get(session.accountId);
    if (!account || account.queue.size === 0) return [];
    const held = this.leases.get(session.accountId);
    if (held) {
      if (held.until > this.now()) return [];
      this.dropLease(session.accountId);
    }
    const deliveries: Delivery[] = [];
    for (const item of account.queue.pending()) {
      const delivery = this.toDelivery(item);
      if (deliveries.length > 0 && (delivery.body.kind !== deliveries[0]!.body.kind || !COALESCED.has(delivery.body.kind))) break;
      deliveries.push(delivery);
      if (deliveries.length >= max || !COALESCED.has(delivery.body.kind)) break;
    }
    if (deliveries.some((d) => d.body.kind === 'linked')) session.linked = true;
    const until = this.now() + this.visibilityTimeoutMs;
    const timer = setTimeout(() => {
      if (this.leases.get(session.accountId)?.until === until) {
        this.dropLease(session.accountId);
        this.wake(session.accountId);
      }
    }, this.visibilityTimeoutMs);
    timer.unref();
    this.leases.set(session.accountId, { sessionId: session.id, ids: new Set(deliveries.map((d) => d.id)), until, timer });
    return deliveries;
  }

  private toDelivery(item: QueuedDelivery): Delivery {
    if (item.job) {
      const chunk = item.job.nextChunk;
      const sync = historyChunk(item.job, chunk);
      return {
        id: `${item.id}.${chunk}`,
        body: {
          kind: 'history',
          sync: Buffer.from(proto.HistorySync.encode(sync).finish()).toString('base64'),
          chunkOrder: chunk + 1,
          isLatest: chunk === 0,
        },
      };
    }
    return { id: String(item.id), body: item.body };
  }

  private settleLease(accountId: string, deliveryIds: readonly string[]): void {
    const lease = this.leases.get(accountId);
    if (!lease) return;
    for (const id of deliveryIds) lease.ids.delete(id);
    if (lease.ids.size === 0) {
      this.dropLease(accountId);
      this.wake(accountId);
    }
  }

  private dropLease(accountId: string): void {
    const lease = this.leases.get(accountId);
    if (lease) clearTimeout(lease.timer);
    this.leases.delete(accountId);
  }

  private waitForChange(accountId: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      let waiters = this.waiters.get(accountId);
      if (!waiters) {
        waiters = new Set();
        this.waiters.set(accountId, waiters);
      }
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      waiters.add(done);
    });
  }

  private wake(accountId: string): void {
    for (const waiter of [...(this.waiters.get(accountId) ?? [])]) waiter();
  }

  // ---------------------------------------------------------------- state

  /** Applies changes now (so later decisions see them) and resolves once they are on disk; then wakes pollers. */
  private async commit(changes: readonly Change[], accountsToWake: readonly string[]): Promise<void> {
    if (this.closed) throw new WaError('SHUTTING_DOWN', 'simulator is shutting down');
    await this.persist(this.apply(changes), accountsToWake);
  }

  /** Applies changes to the state now, numbering them for the journal. */
  private apply(changes: readonly Change[]): JournalEntry[] {
    return changes.map((change) => {
      this.state.seq += 1;
      applyChange(this.state, change);
      return { seq: this.state.seq, change };
    });
  }

  /** Writes applied changes to the journal, then wakes the accounts' pollers. */
  private async persist(entries: readonly JournalEntry[], accountsToWake: readonly string[]): Promise<void> {
    if (entries.length > 0) await this.journal.append(entries);
    for (const accountId of accountsToWake) this.wake(accountId);
    if (!this.compacting && this.journal.wantsCompaction()) {
      this.compacting = this.journal
        .compact(() => toSnapshot(this.state))
        .catch((error: unknown) => this.logger.error({ err: error }, 'simulator journal compaction failed'))
        .finally(() => {
          this.compacting = undefined;
        });
    }
  }

  private enqueue(accountId: string, body: DeliveryBody): Change {
    return { op: 'enqueue', accountId, id: this.nextDeliveryId(), body };
  }

  private nextDeliveryId(): number {
    // Ids are handed out before the change is applied, so they are reserved here.
    const id = this.state.nextDeliveryId;
    this.state.nextDeliveryId += 1;
    return id;
  }

  private knownAccount(accountId: string): AccountState {
    const account = this.state.accounts.get(accountId);
    if (!account) throw new WaError('NOT_FOUND', 'unknown account', { field: 'accountId' });
    return account;
  }

  private linkedAccount(accountId: string, field = 'accountId'): AccountState {
    const account = this.knownAccount(accountId);
    // To the network an account without a phone is nobody: the same 404 as an unknown one.
    if (!account.link) throw new WaError('NOT_FOUND', 'the account is not linked to a phone', { field });
    return account;
  }

  private accountByPhone(phone: string): AccountState | undefined {
    const accountId = this.state.byPhone.get(phone);
    return accountId === undefined ? undefined : this.state.accounts.get(accountId);
  }
}

function requirePhone(input: string, field: string): string {
  const phone = phoneDigits(input);
  if (phone === null) throw new WaError('INVALID_ARGUMENT', `${field} must be a phone number (digits, optionally with +)`, { field });
  if (!isOnWhatsApp(phone)) throw new WaError('INVALID_ARGUMENT', `${field} ${phone} is not on WhatsApp`, { field });
  return phone;
}

function requireUserJid(input: string, field: string): string {
  const jid = userJidOf(input);
  if (jid === null) throw new WaError('INVALID_ARGUMENT', `${field} must name phone-number users`, { field });
  return jid;
}

function hasPendingLink(account: AccountState): boolean {
  for (const item of account.queue.pending()) if (item.body?.kind === 'linked') return true;
  return false;
}

function isNewsletterJid(jid: string): boolean {
  return /^\d{5,30}@newsletter$/.test(jid);
}

function isUserJid(jid: string): boolean {
  return jid.endsWith('@s.whatsapp.net');
}

function isParticipant(group: GroupState, jid: string): boolean {
  return group.meta.participants.some((p) => p.jid === jid);
}

function isAdmin(group: GroupState, jid: string): boolean {
  return group.meta.participants.some((p) => p.jid === jid && p.admin !== null);
}

/** For a received message, the chat its sender filed it under (1:1: the recipient; group: the group). */
function outboundChatOf(entry: InboxEntry, recipient: AccountState): string {
  return entry.group ?? recipient.link?.jid ?? entry.chatJid;
}

function withMedia(summary: MessageSummary, media: { sha256: string; size: number } | null): MessageSummary {
  return media ? { ...summary, media: { sha256: media.sha256, size: media.size, url: `/sim/media/${media.sha256}` } } : summary;
}

function newGroupMeta(id: string, subject: string, owner: string, at: number, participants: ParticipantWire[]): GroupMetadataWire {
  const seconds = Math.floor(at / 1000);
  return {
    id,
    subject,
    subjectOwner: owner,
    subjectTime: seconds,
    creation: seconds,
    owner,
    desc: null,
    descId: null,
    descOwner: null,
    descTime: null,
    restrict: false,
    announce: false,
    memberAddMode: false,
    joinApprovalMode: false,
    ephemeralDuration: null,
    participants,
  };
}

function businessProfile(update: Record<string, unknown>, current: BusinessProfileWire | null, wid: string): BusinessProfileWire {
  const text = (key: string): string | undefined => (typeof update[key] === 'string' ? (update[key] as string) : undefined);
  const hours = update.hours as { timezone?: string; days?: Array<Record<string, unknown>> } | undefined;
  // The shape WhatsApp answers with: one config entry per day, times in minutes.
  const config = (hours?.days ?? []).map((day) => ({
    day_of_week: String(day.day ?? ''),
    mode: String(day.mode ?? ''),
    ...(day.openTimeInMinutes === undefined ? {} : { open_time: Number(day.openTimeInMinutes) }),
    ...(day.closeTimeInMinutes === undefined ? {} : { close_time: Number(day.closeTimeInMinutes) }),
  }));
  return {
    description: text('description') ?? current?.description ?? '',
    email: text('email') ?? current?.email,
    business_hours: hours ? { timezone: hours.timezone, config } : (current?.business_hours ?? {}),
    website: Array.isArray(update.websites) ? (update.websites as string[]) : (current?.website ?? []),
    address: text('address') ?? current?.address,
    category: current?.category,
    wid,
  };
}

function parseDeliveryId(wireId: string): { id: number; chunk: number | null } | null {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(wireId);
  if (!match) return null;
  return { id: Number(match[1]), chunk: match[2] === undefined ? null : Number(match[2]) };
}

function directPathOf(encSha256: string, at: number): string {
  return `/v/t62.7118-24/sim/${encSha256}.enc?ccb=11-4&oh=sim&oe=${Math.floor(at / 1000).toString(16).toUpperCase()}&_nc_sid=5e03e0`;
}

function inboundMessageId(): string {
  return `3A${randomHex(9).toUpperCase()}`;
}

function inviteCode(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

function digits(count: number): string {
  return Array.from({ length: count }, () => randomInt(10)).join('');
}
