import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { proto, type WAMessage } from '@whiskeysockets/baileys';
import type { AvroCodec } from '../../../schemas/index.js';
import type { Logger } from '../../shared/index.js';
import { WaError } from '../../shared/index.js';
import { metrics } from '../../shared/ops/index.js';
import { sendRecords } from '../../shared/tracing/index.js';
import { COMMAND_TYPES, isCommandType } from '../../shared/commands/index.js';
import type { AtomicWrite, ConsumerPosition, OutgoingRecord } from '../../shared/kafka/index.js';
import { recordHeaders } from '../../shared/kafka/index.js';
import type { MediaStore } from '../../shared/media/index.js';
import type { SecretBox } from '../../shared/secrets/index.js';
import { commandError, decide, execute, type AccountView, type CommandValue } from '../commands/index.js';
import type { SendPacer } from '../pacing/index.js';
import type { BaileysEventBatch, SessionLifecycleEvent, WaDriver, WaSession } from '../drivers/Driver.js';
import { ENVELOPE_SCHEMA, type DraftEvent, type EventSource } from '../events/index.js';
import { AccountSessionState } from '../sessionState/index.js';
import {
  connectionStateEvent,
  createLidDirectory,
  lifecycleEvent,
  mediaOf,
  mediaUpdatedEvent,
  pairingCodeEvent,
  translateBatch,
  type ConnectionState,
  type ConnectionStateExtra,
  type DisconnectReason,
  type LidDirectory,
  type SessionTranslationState,
  type TranslateContext,
} from '../translate/index.js';
import { accountCreatedEvent, accountDeletedEvent, accountUpdatedEvent } from './accountEvents.js';
import { emptyMeta, phoneOf, type AccountMeta, type LinkMethod } from './AccountMeta.js';
import { CONNECTOR_SOURCE, type ConnectorTopics } from './ConnectorTopics.js';
import { RecentMessages } from './RecentMessages.js';
import { eventsFromResult } from './resultEvents.js';

/** Everything an account needs from its partition and process. */
export interface AccountEnvironment {
  codec: AvroCodec;
  topics: ConnectorTopics;
  driver: WaDriver;
  media: MediaStore;
  pacer: SendPacer;
  box: SecretBox;
  logger: Logger;
  now: () => number;
  /** The partition's transactional writer. */
  write: (write: AtomicWrite) => Promise<void>;
  /** Fencing epoch of the partition's current owner. */
  epoch: number;
  /** How long account.connect waits for a QR code, a pairing code or the open connection. */
  connectWaitMs: number;
  /** Fetches media a send names by URL (private targets refused unless allowed, size capped). */
  fetchUrl: (url: string) => Promise<Readable>;
}

/** The outcome of one command: the result fields and the events it caused. */
export interface CommandOutcome {
  status: 'SUCCEEDED' | 'FAILED' | 'REJECTED' | 'EXPIRED';
  result: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  /** Events to write with the result. */
  events: DraftEvent[];
  /** Events of the command already written, ahead of what its session reported meanwhile. */
  written: DraftEvent[];
}

const META_KIND = 'backbone';
const META_ENTRY = 'account';
/** Inbound media not yet stored: kept in session state so a download cut short by a crash or a move is done again. */
const MEDIA_KIND = 'backbone-media';
const HISTORY_CHUNK = 500;
/** Story audience when a post names nobody: the most recent people, at most this many. */
const AUDIENCE_LIMIT = 5_000;
/** How long WhatsApp accepts a pairing code. */
const PAIRING_CODE_TTL_MS = 60_000;

interface ConnectProgress {
  qr: { qr: string; expiresAt: number } | null;
  pairingCode: string | null;
}

/**
 * One account owned by this connector: its meta and Baileys state, its session, and the
 * single place where its events get their sequence numbers and are written.
 */
export class AccountRuntime {
  meta: AccountMeta;
  readonly state: AccountSessionState;
  private session: WaSession | null = null;
  private readonly lids: LidDirectory = createLidDirectory();
  private translation: SessionTranslationState = { connectionId: '', qrAttempt: 0, state: 'NOT_STARTED' };
  private queue: Promise<void> = Promise.resolve();
  private progress: ConnectProgress = { qr: null, pairingCode: null };
  private progressWaiters: Array<() => boolean> = [];
  private mediaChain: Promise<void> = Promise.resolve();
  private closed = false;
  /** Identifies the current session; batches of a session that was let go are refused. */
  private sessionToken: symbol | null = null;
  private readonly recent = new RecentMessages();
  /** People this account has talked to lately: who sees its stories when a post names nobody. */
  private readonly audience = new Set<string>();
  /** Events the running command wrote before its result (see `writeNow`). */
  private written: DraftEvent[] = [];

  constructor(
    readonly accountId: string,
    private readonly env: AccountEnvironment,
  ) {
    this.meta = emptyMeta(accountId);
    this.state = new AccountSessionState({
      accountId,
      box: env.box,
      codec: env.codec,
      partitions: env.topics.sessionState.partitions,
      persist: (records) => env.write({ batches: [{ topic: env.topics.sessionState, records }] }),
      epoch: () => env.epoch,
      now: env.now,
    });
  }

  /** Applies one record of wa.session-state.v1 read back during the partition's restore. */
  restore(record: { key: string; value: Buffer | null; headers: Record<string, string> }): void {
    this.state.restore(record);
  }

  /** Ends the restore: the meta entry becomes the live meta. */
  finishRestore(): void {
    this.meta = { ...emptyMeta(this.accountId), ...(this.state.getEntry<AccountMeta>(META_KIND, META_ENTRY) ?? {}) };
  }

  /** Reopens the session when the account was connected before the restart or the move. */
  async resume(): Promise<void> {
    if (!this.meta.exists || !this.meta.wantConnected || this.meta.loggedOut) return;
    await this.openSession(this.meta.link, null, `resume-${this.env.now()}`);
    this.redriveMedia();
  }

  /** Runs work after the account's earlier work: commands of one account never overlap. */
  enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** What `decide` needs to know about the account. */
  view(): AccountView {
    return {
      accountId: this.accountId,
      exists: this.meta.exists,
      state: this.session?.isConnected() ? 'CONNECTED' : this.meta.state,
      loggedOut: this.meta.loggedOut,
      meJid: this.meta.meJid,
    };
  }

  /** Decides and executes one command; never throws (failures become the outcome). */
  async runCommand(command: CommandValue): Promise<CommandOutcome> {
    // A session reopening (restart, takeover, reconnect) gets its connect wait before a send is refused as not connected.
    if (isCommandType(command.type) && COMMAND_TYPES[command.type].kind === 'socket' && this.meta.wantConnected && this.session !== null && !this.isOpen()) {
      await this.waitForProgress(this.meta.link, Math.min(this.env.now() + this.env.connectWaitMs, Number(command.deadline)));
    }
    const now = this.env.now();
    this.written = [];
    // The same create read again after a crash (its early events are written, its result is not).
    if (command.type === 'account.create' && this.meta.exists && this.meta.createdBy === command.commandId) {
      return { status: 'SUCCEEDED', result: { 'wa.commands.AccountResult': this.accountResult() }, events: [], written: [], error: null };
    }
    const decision = decide(command, this.view(), now);
    switch (decision.kind) {
      case 'expire':
        return { status: 'EXPIRED', result: null, events: [], written: [], error: { code: 'DEADLINE_EXCEEDED', message: 'the command deadline passed before it could run', retriable: false, statusCode: 408, field: null } };
      case 'reject':
        return { status: 'REJECTED', result: null, events: [], written: [], error: decision.error as unknown as Record<string, unknown> };
      case 'execute':
        break;
      default: {
        const never: never = decision;
        throw new WaError('INTERNAL', `unknown decision ${JSON.stringify(never)}`);
      }
    }
    try {
      const { result, events } = await this.executeCommand(command);
      return { status: 'SUCCEEDED', result, events, written: this.written, error: null };
    } catch (error) {
      const mapped = commandError(error) as unknown as Record<string, unknown>;
      this.env.logger.warn({ accountId: this.accountId, commandId: command.commandId, type: command.type, code: mapped.code }, 'command failed');
      return { status: 'FAILED', result: null, events: [], written: this.written, error: mapped };
    }
  }

  /**
   * Writes events with their sequence numbers, the account's meta and any extra records
   * (a command result) and consumer positions in one transaction.
   */
  async emit(events: readonly DraftEvent[], options: { correlationId: string; extra?: AtomicWrite['batches']; positions?: readonly ConsumerPosition[] }): Promise<void> {
    if (events.length === 0) return this.write(events, options);
    // A PRODUCER span: the records carry it, so every consumer's work continues this trace (a
    // command's events continue the request's; a WhatsApp batch starts one).
    const topic = this.env.topics[events[0]!.topic].name;
    await sendRecords(topic, events.length, () => this.write(events, options));
    for (const event of events) metrics.eventsPublished.inc({ topic: this.env.topics[event.topic].name });
  }

  private async write(events: readonly DraftEvent[], options: { correlationId: string; extra?: AtomicWrite['batches']; positions?: readonly ConsumerPosition[] }): Promise<void> {
    const recordedAt = this.env.now();
    const byTopic = { conversation: [] as OutgoingRecord[], account: [] as OutgoingRecord[], presence: [] as OutgoingRecord[] };
    for (const event of events) {
      this.noteAudience(event);
      const sequence = ++this.meta.sequences[event.topic];
      const envelope = {
        eventId: event.eventId,
        type: event.type,
        accountId: this.accountId,
        chatJid: event.chatJid,
        sequence,
        occurredAt: event.occurredAt,
        recordedAt,
        correlationId: options.correlationId,
        causationId: event.causationId,
        source: event.source,
        driver: this.env.driver.name,
        data: event.data,
      };
      byTopic[event.topic].push({
        accountId: this.accountId,
        value: this.env.codec.encode(ENVELOPE_SCHEMA[event.topic], envelope),
        headers: recordHeaders({ id: event.eventId, type: event.type, source: CONNECTOR_SOURCE, time: event.occurredAt }),
        timestamp: recordedAt,
      });
    }
    const batches: AtomicWrite['batches'][number][] = [
      { topic: this.env.topics.conversation, records: byTopic.conversation },
      { topic: this.env.topics.account, records: byTopic.account },
      { topic: this.env.topics.presence, records: byTopic.presence },
      ...(options.extra ?? []),
    ];
    if (this.meta.exists || events.length > 0) {
      batches.push({ topic: this.env.topics.sessionState, records: [this.state.putEntry(META_KIND, META_ENTRY, this.meta)] });
    }
    await this.env.write({ batches, positions: options.positions ?? [] });
  }

  /** Remembers the person of a 1:1 message or contact event (bounded: the oldest fall out). */
  private noteAudience(event: DraftEvent): void {
    const person = event.chatJid;
    if (person === null || !person.endsWith('@s.whatsapp.net') || person === this.meta.meJid) return;
    if (!event.type.startsWith('message.') && !event.type.startsWith('contact.')) return;
    this.audience.delete(person);
    this.audience.add(person);
    if (this.audience.size > AUDIENCE_LIMIT) this.audience.delete(this.audience.values().next().value!);
  }

  /** Closes the session (rebalance, shutdown) and stops accepting work. */
  async release(reason: 'rebalanced' | 'shutdown'): Promise<void> {
    this.closed = true;
    await this.closeSession(reason === 'rebalanced' ? 'REBALANCED' : 'SHUTDOWN', reason, false);
  }

  /** Resolves when queued commands and media downloads are done. */
  async drained(): Promise<void> {
    await this.queue;
    await this.mediaChain;
  }

  private translateContext(source: EventSource | undefined, causationId: string | null): TranslateContext {
    return {
      accountId: this.accountId,
      meJid: this.meta.meJid,
      meLid: null,
      now: this.env.now,
      ...(source ? { source } : {}),
      causationId,
      lids: this.lids,
      session: this.translation,
      sealSecret: (plain, aad) => this.env.box.seal(Buffer.from(plain), aad),
      codec: this.env.codec,
    };
  }

  private async executeCommand(command: CommandValue): Promise<{ result: Record<string, unknown> | null; events: DraftEvent[] }> {
    const now = this.env.now();
    const payload = Object.values(command.payload)[0] as Record<string, unknown>;
    switch (command.type) {
      case 'account.create': {
        this.meta = {
          ...this.meta,
          exists: true,
          name: (payload.name as string | null) ?? null,
          department: (payload.department as string | null) ?? null,
          autoConnect: (payload.autoConnect as boolean | undefined) ?? false,
          collectionName: (payload.collectionName as string | null) ?? null,
          createdAt: now,
          updatedAt: null,
          loggedOut: false,
          state: 'NOT_STARTED',
          createdBy: command.commandId,
        };
        const created = accountCreatedEvent(this.meta, command.commandId, command.requestedBy, now);
        if (!this.meta.autoConnect) return { result: { 'wa.commands.AccountResult': this.accountResult() }, events: [created] };
        // The account exists before its session reports anything.
        await this.writeNow([created], command.correlationId);
        const { events } = await this.connect({ method: 'QR' }, command);
        return { result: { 'wa.commands.AccountResult': this.accountResult() }, events };
      }
      case 'account.update': {
        const changes: Record<string, unknown> = { updatedBy: command.requestedBy };
        for (const field of ['name', 'department', 'autoConnect', 'collectionName'] as const) {
          const value = payload[field];
          changes[field] = value ?? null;
          if (value !== null && value !== undefined) (this.meta as unknown as Record<string, unknown>)[field] = value;
        }
        this.meta.updatedAt = now;
        return { result: { 'wa.commands.AccountResult': this.accountResult() }, events: [accountUpdatedEvent(this.accountId, command.commandId, changes, now)] };
      }
      case 'account.delete': {
        const events: DraftEvent[] = [];
        const session = this.session;
        this.letSessionGo();
        if (session) await session.logout().catch((error: unknown) => this.env.logger.warn({ err: error, accountId: this.accountId }, 'logout before delete failed'));
        await this.state.clear();
        const sequences = this.meta.sequences;
        this.meta = { ...emptyMeta(this.accountId), sequences };
        events.push(accountDeletedEvent(this.accountId, command.commandId, command.requestedBy, Boolean(payload.purgeData), now));
        return { result: null, events };
      }
      case 'account.connect': {
        const link: LinkMethod =
          payload.method === 'PAIRING_CODE' && typeof payload.phoneNumber === 'string' ? { method: 'PAIRING_CODE', phoneNumber: payload.phoneNumber } : { method: 'QR' };
        const { result, events } = await this.connect(link, command);
        return { result: { 'wa.commands.ConnectResult': result }, events };
      }
      case 'account.disconnect':
        this.meta.wantConnected = false;
        return { result: null, events: await this.closeSession('REQUESTED', 'requested', true, command.commandId) };
      case 'account.logout': {
        this.meta.wantConnected = false;
        const session = this.session;
        this.letSessionGo();
        if (session) await session.logout();
        await this.state.clear();
        this.meta.loggedOut = true;
        this.meta.meJid = null;
        const event = this.stateEvent('LOGGED_OUT', { reason: 'REQUESTED' }, command.commandId);
        return { result: null, events: [event] };
      }
      default: {
        const session = this.session;
        if (!session) throw new WaError('UNAVAILABLE', 'the account is not connected', { retriable: true });
        const outcome = await execute(command, {
          socket: session.socket(),
          media: this.env.media,
          fetchUrl: this.env.fetchUrl,
          accountId: this.accountId,
          meJid: this.meta.meJid,
          now: this.env.now,
          loadMessage: async (target) => this.recent.find(target.chatJid, target.messageId),
          pace: () => this.env.pacer.acquire(this.accountId),
          statusAudience: async () => [...this.audience],
        });
        this.recent.remember(outcome.effects['messages.upsert']?.messages ?? []);
        const events = [
          ...translateBatch(outcome.effects, this.translateContext('COMMAND', command.commandId)),
          ...eventsFromResult(command.type, outcome.result, { accountId: this.accountId, causationId: command.commandId, now: this.env.now(), codec: this.env.codec }),
        ];
        return { result: outcome.result, events };
      }
    }
  }

  private accountResult(): Record<string, unknown> {
    return {
      accountId: this.accountId,
      name: this.meta.name,
      department: this.meta.department,
      autoConnect: this.meta.autoConnect,
      collectionName: this.meta.collectionName,
      state: this.session?.isConnected() ? 'CONNECTED' : this.meta.state,
      createdAt: this.meta.createdAt,
      updatedAt: this.meta.updatedAt,
      meJid: this.meta.meJid,
      mePhone: phoneOf(this.meta.meJid),
    };
  }

  private stateEvent(state: ConnectionState, extra: ConnectionStateExtra, causationId: string | null): DraftEvent {
    this.meta.state = state;
    return connectionStateEvent(this.translateContext(causationId ? 'COMMAND' : 'SYSTEM', causationId), state, extra);
  }

  /** Opens the session if needed and waits for a QR code, a pairing code or the open connection. */
  private async connect(link: LinkMethod, command: CommandValue): Promise<{ result: Record<string, unknown>; events: DraftEvent[] }> {
    this.meta.wantConnected = true;
    this.meta.link = link;
    this.meta.loggedOut = false;
    const events: DraftEvent[] = [];
    if (!this.session) {
      this.progress = { qr: null, pairingCode: null };
      await this.openSession(link, command.commandId, command.correlationId);
    } else if (link.method === 'PAIRING_CODE' && !this.session.isConnected() && this.progress.pairingCode === null) {
      // A session waiting for a QR scan switches to a pairing code.
      const code = await this.session.requestPairingCode(link.phoneNumber);
      this.progress.pairingCode = code;
      events.push(pairingCodeEvent(this.translateContext('COMMAND', command.commandId), code, link.phoneNumber, this.env.now() + PAIRING_CODE_TTL_MS));
    }
    const until = Math.min(this.env.now() + this.env.connectWaitMs, Number(command.deadline));
    await this.waitForProgress(link, until);
    const connected = this.isOpen();
    const state = connected ? 'CONNECTED' : link.method === 'PAIRING_CODE' && this.progress.pairingCode ? 'PAIRING' : this.progress.qr ? 'QR' : 'CONNECTING';
    return {
      result: {
        state,
        qr: connected ? null : (this.progress.qr?.qr ?? null),
        qrExpiresAt: connected ? null : (this.progress.qr?.expiresAt ?? null),
        pairingCode: connected ? null : this.progress.pairingCode,
        meJid: this.meta.meJid,
        mePhone: phoneOf(this.meta.meJid),
      },
      events,
    };
  }

  private waitForProgress(link: LinkMethod, until: number): Promise<void> {
    const satisfied = (): boolean =>
      this.isOpen() || (link.method === 'PAIRING_CODE' ? this.progress.pairingCode !== null : this.progress.qr !== null) || !this.session;
    if (satisfied()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, until - this.env.now()));
      const check = (): boolean => {
        if (this.env.now() < until && !satisfied()) return false;
        done();
        return true;
      };
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.progressWaiters.push(check);
      timer.unref?.();
    });
  }

  private notifyProgress(): void {
    // Waiters that are not satisfied yet keep waiting for the next notification.
    this.progressWaiters = this.progressWaiters.filter((waiter) => !waiter());
  }

  /** Writes a running command's events at once, ahead of its result; their ids still go into the result. */
  private async writeNow(events: DraftEvent[], correlationId: string): Promise<void> {
    await this.emit(events, { correlationId });
    this.written.push(...events);
  }

  /** Opens a session through the driver, after writing its CONNECTING state. */
  private async openSession(link: LinkMethod, causationId: string | null, correlationId: string): Promise<void> {
    this.translation = { connectionId: `${this.accountId}-${this.env.now().toString(36)}`, qrAttempt: 0, state: this.meta.state };
    const connecting = this.stateEvent('CONNECTING', {}, causationId);
    if (causationId === null) await this.emit([connecting], { correlationId });
    else await this.writeNow([connecting], correlationId);
    const token = Symbol(this.accountId);
    this.sessionToken = token;
    const session = await this.env.driver.open({
      accountId: this.accountId,
      auth: this.state.auth(),
      logger: this.env.logger.child({ accountId: this.accountId }),
      link: link.method === 'PAIRING_CODE' ? { method: 'PAIRING_CODE', phoneNumber: link.phoneNumber } : { method: 'QR' },
      handler: {
        onEvents: (batch) =>
          this.sessionToken === token ? this.onDriverEvents(batch, token) : Promise.reject(new WaError('SHUTTING_DOWN', 'a batch of a session that was let go')),
        onLifecycle: async (event) => {
          if (this.sessionToken === token) await this.onLifecycle(event);
        },
      },
    });
    this.session = session;
  }

  /** The session is open: the driver says so, or its open event was just translated. */
  private isOpen(): boolean {
    return this.session !== null && (this.session.isConnected() || this.translation.state === 'CONNECTED');
  }

  /** Forgets the current session: whatever it still reports is refused. */
  private letSessionGo(): void {
    this.session = null;
    this.sessionToken = null;
    this.notifyProgress();
  }

  /** Refuses a batch whose session was let go while it was being translated. */
  private checkCurrent(token: symbol): void {
    if (this.sessionToken !== token) throw new WaError('SHUTTING_DOWN', 'a batch of a session that was let go');
  }

  private async closeSession(reason: DisconnectReason, closeReason: 'requested' | 'rebalanced' | 'shutdown', record: boolean, causationId: string | null = null): Promise<DraftEvent[]> {
    const session = this.session;
    this.letSessionGo();
    if (!session) return [];
    await session.close(closeReason).catch((error: unknown) => this.env.logger.warn({ err: error, accountId: this.accountId }, 'closing the session failed'));
    if (!record) return [];
    return [this.stateEvent('DISCONNECTED', { reason }, causationId)];
  }

  /** One batch of Baileys events from the driver: translated and written before the driver acknowledges it. */
  private async onDriverEvents(batch: BaileysEventBatch, token: symbol): Promise<void> {
    if (this.closed) throw new WaError('SHUTTING_DOWN', 'the account is being released');
    const link = this.meta.link;
    this.recent.remember(batch['messages.upsert']?.messages ?? []);
    if (batch['creds.update']) this.meta.meJid = this.state.meJid() ?? this.meta.meJid;
    const correlationId = `batch-${this.env.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const context = this.translateContext(undefined, null);
    const pending: DraftEvent[] = [];
    let pairingRequested = false;
    for (const event of translateBatch(batch, context)) {
      pending.push(event);
      if (event.type === 'connection.qr') {
        metrics.qrCodes.inc();
        const data = event.data['wa.account.QrCodeIssued'] as { qr: string; expiresAt: number };
        this.progress.qr = { qr: data.qr, expiresAt: data.expiresAt };
        if (link.method === 'PAIRING_CODE' && this.progress.pairingCode === null && !pairingRequested) pairingRequested = true;
      }
      if (pending.length >= HISTORY_CHUNK) {
        this.checkCurrent(token);
        await this.emit(pending.splice(0), { correlationId });
      }
    }
    this.meta.state = this.translation.state;
    if (this.meta.state === 'CONNECTED') this.meta.meJid = this.state.meJid() ?? this.meta.meJid;
    if (pairingRequested && this.session && link.method === 'PAIRING_CODE') {
      const code = await this.session.requestPairingCode(link.phoneNumber);
      this.progress.pairingCode = code;
      pending.push(pairingCodeEvent(context, code, link.phoneNumber, this.env.now() + PAIRING_CODE_TTL_MS));
    }
    this.checkCurrent(token);
    const downloads = this.pendingDownloads(batch);
    const extra = downloads.length === 0 ? [] : [{ topic: this.env.topics.sessionState, records: downloads.map((d) => d.record) }];
    if (pending.length > 0 || batch['creds.update'] || downloads.length > 0) await this.emit(pending, { correlationId, extra });
    this.notifyProgress();
    for (const download of downloads) this.queueDownload(download.message, download.entryId);
  }

  private async onLifecycle(event: SessionLifecycleEvent): Promise<void> {
    // A released account's writer may already be fenced by the new owner, which reports for it.
    if (this.closed) return;
    const context = this.translateContext('SYSTEM', null);
    const draft = lifecycleEvent(event, context);
    this.meta.state = this.translation.state;
    switch (event.kind) {
      case 'logged-out':
        this.letSessionGo();
        this.meta.wantConnected = false;
        this.meta.loggedOut = true;
        this.meta.meJid = null;
        await this.state.clear();
        break;
      case 'replaced':
      case 'qr-exhausted':
        this.letSessionGo();
        this.meta.wantConnected = false;
        break;
      case 'reconnecting':
        metrics.reconnects.inc();
        // A new socket is a new connection: new QR and pairing codes, new connection-state ids.
        this.progress = { qr: null, pairingCode: null };
        this.translation.connectionId = `${this.accountId}-${this.env.now().toString(36)}`;
        this.translation.qrAttempt = 0;
        break;
      default: {
        const never: never = event;
        throw new WaError('INTERNAL', `unknown lifecycle event ${JSON.stringify(never)}`);
      }
    }
    this.notifyProgress();
    await this.emit([draft], { correlationId: `lifecycle-${this.env.now().toString(36)}` });
  }

  /**
   * The media messages of a batch, each with the session-state record that keeps it pending:
   * written with the message events, removed with the outcome event, so a download cut short
   * by a crash or a move is done again by whoever owns the account next.
   */
  private pendingDownloads(batch: BaileysEventBatch): { message: WAMessage; entryId: string; record: OutgoingRecord }[] {
    const downloads = [];
    for (const message of batch['messages.upsert']?.messages ?? []) {
      const media = mediaOf(message);
      if (!media) continue;
      const entryId = createHash('sha256').update(`${media.key.remoteJid}\u001f${media.key.id}\u001f${media.key.fromMe === true}`).digest('hex').slice(0, 32);
      const encoded = Buffer.from(proto.WebMessageInfo.encode(message as proto.IWebMessageInfo).finish());
      downloads.push({ message, entryId, record: this.state.putEntry(MEDIA_KIND, entryId, { message: encoded }) });
    }
    return downloads;
  }

  /** Downloads again every media the account still has pending (after a restart or a move). */
  private redriveMedia(): void {
    for (const entryId of this.state.entryIds(MEDIA_KIND)) {
      const entry = this.state.getEntry<{ message: Buffer }>(MEDIA_KIND, entryId);
      if (!entry) continue;
      this.queueDownload(proto.WebMessageInfo.decode(entry.message) as WAMessage, entryId);
    }
  }

  /** Downloads inbound media into the store, one at a time per account. */
  private queueDownload(message: WAMessage, entryId: string): void {
    const media = mediaOf(message);
    if (!media) return;
    this.mediaChain = this.mediaChain.then(() => this.storeMedia(message, media, entryId));
  }

  /** Stores one media and records the outcome, clearing its pending entry in the same transaction; left pending when the session is gone. */
  private async storeMedia(message: WAMessage, media: NonNullable<ReturnType<typeof mediaOf>>, entryId: string): Promise<void> {
    const session = this.session;
    if (!session || this.closed) return;
    const context = this.translateContext(undefined, null);
    let event: DraftEvent;
    try {
      const stream = await session.downloadMedia(message);
      const stored = await this.env.media.put(stream, { mimetype: media.mimetype ?? null });
      event = mediaUpdatedEvent(context, media.key, { mediaId: stored.mediaId, sha256: stored.sha256, fileLength: stored.size }, 'STORED');
    } catch (error) {
      if (this.closed || this.session !== session) return;
      this.env.logger.warn({ err: error, accountId: this.accountId }, 'media download failed');
      event = mediaUpdatedEvent(context, media.key, {}, 'FAILED');
    }
    if (this.closed) return;
    const done = { topic: this.env.topics.sessionState, records: [this.state.deleteEntry(MEDIA_KIND, entryId)] };
    await this.emit([event], { correlationId: `media-${this.env.now().toString(36)}`, extra: [done] }).catch((error: unknown) =>
      this.env.logger.error({ err: error, accountId: this.accountId }, 'recording media outcome failed'),
    );
  }
}
