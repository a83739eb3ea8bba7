import { checkPairingPhone, checkPairingRequest, QrGate } from '../QrGate.js';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Boom } from '@hapi/boom';
import {
  Browsers,
  buildPairingQRData,
  getContentType,
  normalizeMessageContent,
  type Contact,
  type WAMediaUploadFunction,
  type WAMessage,
} from '@whiskeysockets/baileys';
import type { Delivery, OpenSessionResponse, QrPlan, RpcRequest, RpcResults } from '../../../simulator/index.js';
import { backoffDelay, sleep, toWaError, WaError, type Logger } from '../../../shared/index.js';
import { credsLinked } from '../../sessionState/index.js';
import { afterReconnect, decideOnClose, DEFAULT_RECONNECT_POLICY, type CloseHistory, type ReconnectPolicy } from '../baileys/index.js';
import type { BaileysEventBatch, CloseReason, OpenSessionOptions, SessionLifecycleEvent, WaDriver, WaSession, WaSocketPort } from '../Driver.js';
import { SimulatorClient, SimulatorHttpError, SimulatorUnreachableError, type Fetch } from './SimulatorClient.js';
import { simulatorSocket } from './simulatorSocket.js';
import { linkedCreds, toBaileysBatch } from './toBaileysEvents.js';
import { CallbackScope } from '../CallbackScope.js';

export interface SimulatorDriverOptions {
  /** The simulator's base URL (`SIMULATOR_URL`). */
  baseUrl: string;
  logger?: Logger;
  /** HTTP client; default the global fetch. */
  fetch?: Fetch;
  reconnect?: ReconnectPolicy;
  random?: () => number;
  /** How long one long poll waits for deliveries. */
  pollWaitMs?: number;
  /** Most deliveries taken per poll. */
  maxBatch?: number;
  /** Told each pairing code the driver requested by itself (when the link method is PAIRING_CODE). */
  onPairingCode?: (accountId: string, code: string, phoneNumber: string) => void | Promise<void>;
  /** How long close() waits for the batch in progress to be handled. */
  drainTimeoutMs?: number;
}

const DEFAULT_POLL_WAIT_MS = 20_000;
/**
 * Deliveries taken per poll (the simulator caps it too). Under load each account's queue
 * backs up and a poll takes this many at once: the HTTP round trips, the account's meta
 * entry and its share of a transaction are paid once per batch, not once per message.
 */
const DEFAULT_MAX_BATCH = 500;
const DEFAULT_DRAIN_MS = 15_000;
const MEDIA_CONTENT = new Set(['imageMessage', 'videoMessage', 'ptvMessage', 'audioMessage', 'documentMessage', 'stickerMessage']);
// Backoff before a batch the handler rejected is offered again.
const REDELIVERY_BACKOFF = { initialMs: 250, maxMs: 10_000, factor: 2, jitter: 0.5 };

/** The simulated WhatsApp network over HTTP: the same Baileys events and socket port as the Baileys driver. */
export class SimulatorDriver implements WaDriver {
  readonly name = 'simulator' as const;
  private readonly client: SimulatorClient;

  constructor(private readonly options: SimulatorDriverOptions) {
    this.client = new SimulatorClient(options.baseUrl, options.fetch ?? globalThis.fetch);
  }

  /** Opens a session; it connects in the background and reports through the handler. */
  async open(options: OpenSessionOptions): Promise<WaSession> {
    if (options.link.method === 'PAIRING_CODE') checkPairingPhone(options.link.phoneNumber);
    const session = new SimulatorSession(options, this.options, this.client);
    session.start();
    return session;
  }
}

/** Boom errors as Baileys raises them when its socket closes. */
function closeError(message: string, statusCode: number): Boom {
  return new Boom(message, { statusCode });
}

class SimulatorSession implements WaSession {
  readonly accountId: string;
  private readonly logger: Logger;
  private readonly baileysLogger: Logger;
  private readonly policy: ReconnectPolicy;
  private readonly random: () => number;
  private sessionId: string | null = null;
  private connected = false;
  private stopped = false;
  private history: CloseHistory = { attempts: 0, badSessions: 0 };
  /** Aborts the current connection's poll and waits (QR exhausted, close). */
  private connection = new AbortController();
  private readonly stopSignal = new AbortController();
  private chain: Promise<void> = Promise.resolve();
  private loop: Promise<void> = Promise.resolve();
  private finishing: Promise<void> | undefined;
  private qrTimer: NodeJS.Timeout | null = null;
  private qrExhausted = false;
  private readonly qrGate = new QrGate();
  private pairing: { phoneNumber: string; code: Promise<string> } | null = null;
  /** Session callbacks run in it, so close() called from one does not wait for itself. */
  private readonly callbacks = new CallbackScope();
  /** Deliveries handled and written, to acknowledge with the next poll. */
  private unacked: string[] = [];

  constructor(
    private readonly options: OpenSessionOptions,
    private readonly driver: SimulatorDriverOptions,
    private readonly client: SimulatorClient,
  ) {
    this.accountId = options.accountId;
    this.logger = options.logger.child({ driver: 'simulator' });
    // Baileys' message builder logs through this: at warn at most, as the Baileys driver does.
    const level = this.logger.levelVal > this.logger.levels.values.warn! ? this.logger.level : 'warn';
    this.baileysLogger = this.logger.child({ component: 'baileys' }, { level });
    this.policy = driver.reconnect ?? DEFAULT_RECONNECT_POLICY;
    this.random = driver.random ?? Math.random;
  }

  start(): void {
    // The caller gets the session before the first event reaches its handler.
    this.loop = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run())
      .catch((error: unknown) => {
        this.stopped = true;
        this.connected = false;
        this.logger.error({ err: toWaError(error) }, 'simulated session stopped on an unexpected error');
      });
  }

  socket(): WaSocketPort {
    const sessionId = this.sessionId;
    if (!this.connected || sessionId === null) throw new WaError('UNAVAILABLE', `account ${this.accountId} is not connected to WhatsApp`);
    return simulatorSocket({
      meId: () => this.options.auth.state.creds.me?.id ?? '',
      rpc: (request) => this.rpc(sessionId, request),
      upload: this.uploader(sessionId),
      logger: this.baileysLogger,
    });
  }

  isConnected(): boolean {
    return this.connected;
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    checkPairingRequest(this.accountId, phoneNumber, credsLinked(this.options.auth.state.creds));
    if (this.stopped) throw new WaError('UNAVAILABLE', `account ${this.accountId} has no open socket to pair with`);
    if (this.pairing?.phoneNumber === phoneNumber) return this.pairing.code;
    const code = this.askPairingCode(phoneNumber);
    this.pairing = { phoneNumber, code };
    code.catch(() => {
      if (this.pairing?.code === code) this.pairing = null;
    });
    return code;
  }

  async downloadMedia(message: WAMessage): Promise<Readable> {
    const content = normalizeMessageContent(message.message);
    const type = getContentType(content);
    const media = type && MEDIA_CONTENT.has(type) ? (content![type] as { directPath?: string | null; fileSha256?: Uint8Array | null }) : null;
    if (!media || (!media.directPath && !media.fileSha256)) throw new WaError('NOT_FOUND', 'the message has no downloadable media');
    try {
      return await this.client.media(media.directPath ?? null, media.fileSha256 ? Buffer.from(media.fileSha256).toString('base64') : null);
    } catch (error) {
      if (error instanceof SimulatorHttpError && error.status === 404) {
        throw new WaError('NOT_FOUND', 'the message has no downloadable media, or it expired', { cause: error });
      }
      throw new WaError('UNAVAILABLE', 'downloading the media failed', { cause: error, retriable: true });
    }
  }

  async close(reason: CloseReason): Promise<void> {
    this.logger.info({ reason }, 'closing simulated WhatsApp session');
    this.beginStop();
    await this.finishStop(undefined, this.callbacks.active);
  }

  async logout(): Promise<void> {
    // Read before the first await: the callback scope covers only the callback's synchronous part.
    const fromCallback = this.callbacks.active;
    const sessionId = this.sessionId;
    const wasConnected = this.connected;
    // Stopped first, so the simulator ending the session is not taken for a logout by the phone.
    this.beginStop();
    let error: Boom | undefined;
    if (wasConnected && sessionId !== null) {
      try {
        await this.client.rpc(sessionId, { op: 'logout' });
        error = closeError('Intentional Logout', 401);
      } catch (failure) {
        this.logger.warn({ err: toWaError(failure) }, 'telling the simulator about the logout failed');
      }
    } else {
      this.logger.warn('logging out while not connected: the phone keeps listing this device until it is removed there');
    }
    await this.finishStop(error, fromCallback);
  }

  // ---------------------------------------------------------------- connection loop

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.connection = new AbortController();
      this.qrExhausted = false;
      this.qrGate.reset();
      this.pairing = null;
      await this.emit({ 'connection.update': { connection: 'connecting', receivedPendingNotifications: false, qr: undefined } });
      let end: Error | undefined;
      try {
        const opened = await this.client.openSession({ accountId: this.accountId, meId: this.registeredMe() });
        end = await this.connectionOpened(opened);
      } catch (error) {
        end = this.lostError(error);
      }
      this.stopQr();
      this.failQrWaiters(new WaError('UNAVAILABLE', 'the socket closed before WhatsApp was ready to pair', { retriable: true }));
      if (this.stopped) break;
      await this.onClose(end);
    }
  }

  /** Runs one connection until it ends; resolves with the error Baileys would close the socket with. */
  private async connectionOpened(opened: OpenSessionResponse): Promise<Error | undefined> {
    if (opened.sessionId !== null) this.sessionId = opened.sessionId;
    // Closed while the session was being opened: finishStop() ends it on the simulator.
    if (this.stopped) return undefined;
    switch (opened.status) {
      case 'logged-out':
        return closeError('Connection Failure', 401);
      case 'connected':
        await this.markOpen();
        return this.pollLoop(opened.sessionId);
      case 'awaiting-link':
        this.startQr(opened.qr);
        return this.pollLoop(opened.sessionId);
      default: {
        const unknown: never = opened;
        throw new WaError('INTERNAL', `unknown session status ${JSON.stringify(unknown)}`);
      }
    }
  }

  /**
   * Polls and hands each run of deliveries to the handler. A handled run is acknowledged by the
   * next poll (one round trip per run: the simulator frees the lease, then polls); one whose ack
   * did not get through (the loop stopped, or the poll carrying it failed) is acknowledged here.
   */
  private async pollLoop(sessionId: string): Promise<Error | undefined> {
    try {
      return await this.pollRuns(sessionId);
    } finally {
      const ids = this.unacked;
      this.unacked = [];
      if (ids.length > 0) await this.client.ack(sessionId, ids).catch(() => undefined);
    }
  }

  private async pollRuns(sessionId: string): Promise<Error | undefined> {
    let drained = false;
    let failures = 0;
    while (!this.stopped) {
      let response;
      try {
        const waitMs = this.connected && !drained ? 0 : (this.driver.pollWaitMs ?? DEFAULT_POLL_WAIT_MS);
        response = await this.client.next(sessionId, this.unacked, waitMs, this.driver.maxBatch ?? DEFAULT_MAX_BATCH, this.connection.signal);
        this.unacked = [];
      } catch (error) {
        if (this.qrExhausted) return closeError('QR refs attempts ended', 408);
        return this.lostError(error);
      }
      if (response.ended === 'replaced') return closeError('Stream Errored (conflict)', 440);
      if (response.ended === 'logged-out') return closeError('Connection Failure', 401);
      if (response.ended === 'closed') return closeError('Connection Terminated by Server', 428);
      if (response.deliveries.length === 0) {
        if (this.connected && !drained) {
          drained = true;
          await this.emit({ 'connection.update': { receivedPendingNotifications: true } });
        }
        continue;
      }
      const ids = response.deliveries.map((d) => d.id);
      if (await this.handleDeliveries(response.deliveries)) {
        failures = 0;
        this.unacked = ids;
      } else {
        failures += 1;
        // Not acknowledged: the simulator offers the same deliveries again, after a pause so a failing handler is not hammered.
        await sleep(backoffDelay(failures, REDELIVERY_BACKOFF, this.random), this.stopSignal.signal);
        await this.client.release(sessionId, ids).catch(() => undefined);
      }
    }
    return undefined;
  }

  /** Hands deliveries to the handler; true once every batch was handled (then they may be acknowledged). */
  private async handleDeliveries(deliveries: Delivery[]): Promise<boolean> {
    const first = deliveries[0]!.body;
    try {
      if (first.kind === 'linked') {
        this.stopQr();
        const update = linkedCreds(first, this.accountId);
        await this.emit({ 'creds.update': update }, true);
        await this.emit({ 'connection.update': { isNewLogin: true, qr: undefined } }, true);
        await this.markOpen(true);
        return true;
      }
      await this.emit(toBaileysBatch(deliveries, this.me()), true);
      return true;
    } catch (error) {
      this.logger.warn({ err: toWaError(error), kind: first.kind, deliveries: deliveries.length }, 'handling simulator deliveries failed: they will be redelivered');
      return false;
    }
  }

  private async markOpen(strict = false): Promise<void> {
    this.connected = true;
    this.history = { attempts: 0, badSessions: 0 };
    await this.emit({ 'connection.update': { connection: 'open' } }, strict);
  }

  private async onClose(error: Error | undefined): Promise<void> {
    this.connected = false;
    this.sessionId = null;
    await this.emit({ 'connection.update': { connection: 'close', lastDisconnect: { error, date: new Date() } } });
    if (this.stopped) return;
    const statusCode = (error as Boom | undefined)?.output?.statusCode ?? null;
    const decision = decideOnClose({ statusCode, message: error?.message ?? '' }, this.history, this.policy, this.random);
    switch (decision.action) {
      case 'reconnect': {
        this.history = afterReconnect(this.history, decision);
        const { attempt, delayMs, reason } = decision;
        this.logger.info({ attempt, delayMs, reason, statusCode }, 'simulated WhatsApp connection closed: reconnecting');
        await this.report({ kind: 'reconnecting', attempt, delayMs, reason, statusCode });
        await sleep(delayMs, this.stopSignal.signal);
        return;
      }
      case 'logged-out':
        this.ended();
        this.logger.warn({ reason: decision.reason, statusCode }, 'WhatsApp ended the session: credentials are void');
        await this.report({ kind: 'logged-out', reason: decision.reason, statusCode });
        return;
      case 'replaced':
        this.ended();
        this.logger.warn({ statusCode }, 'another client took over the session');
        await this.report({ kind: 'replaced', statusCode });
        return;
      case 'qr-exhausted':
        this.ended();
        this.logger.info('no QR was scanned in time: session closed');
        await this.report({ kind: 'qr-exhausted' });
        return;
      default: {
        const unknown: never = decision;
        throw new WaError('INTERNAL', `unhandled close decision ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** The connection ended for good and its close was reported: a later close() has nothing left to do. */
  private ended(): void {
    this.stopped = true;
    this.finishing ??= Promise.resolve();
  }

  private lostError(error: unknown): Error {
    if (error instanceof SimulatorHttpError && error.status === 404) return closeError('Connection Closed', 428);
    if (error instanceof SimulatorHttpError) return closeError(`Stream Errored (${error.message})`, error.status >= 500 ? 503 : 500);
    return closeError(error instanceof SimulatorUnreachableError ? 'Connection Lost' : String(error), 408);
  }

  private beginStop(): void {
    this.stopped = true;
    this.stopQr();
    this.failQrWaiters(new WaError('UNAVAILABLE', 'the session was closed'));
    this.stopSignal.abort();
    this.connection.abort();
  }

  /**
   * Once the connection loop is done (the batch in progress handled and acknowledged), ends the
   * simulator session and reports the close, as Baileys' `end()` does. Called from a handler
   * (`fromCallback`) it does not wait (the loop is waiting for that handler); otherwise it waits, bounded.
   */
  private async finishStop(error: Error | undefined, fromCallback: boolean): Promise<void> {
    this.finishing ??= this.loop.then(async () => {
      const sessionId = this.sessionId;
      this.sessionId = null;
      this.connected = false;
      if (sessionId !== null) await this.client.closeSession(sessionId).catch(() => undefined);
      await this.emit({ 'connection.update': { connection: 'close', lastDisconnect: { error, date: new Date() } } });
    });
    if (fromCallback) return;
    let timer: NodeJS.Timeout | undefined;
    const limit = this.driver.drainTimeoutMs ?? DEFAULT_DRAIN_MS;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), limit)));
    const late = await Promise.race([this.finishing.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late) this.logger.warn({ drainTimeoutMs: limit }, 'closing without waiting further for the batch in progress');
  }

  // ---------------------------------------------------------------- events

  /**
   * Hands a batch to the handler after every earlier one. Credentials are written into the
   * auth state and saved first, as Baileys' own creds listener does. With `strict`, a failure
   * is thrown (the deliveries stay unacknowledged); otherwise it is logged like the Baileys driver does.
   */
  private emit(batch: BaileysEventBatch, strict = false): Promise<void> {
    const run = async (): Promise<void> => {
      const creds = batch['creds.update'];
      if (creds) {
        Object.assign(this.options.auth.state.creds, creds);
        await this.options.auth.saveCreds();
      }
      await this.callbacks.run(() => this.options.handler.onEvents(batch));
    };
    const done = this.chain.then(run);
    this.chain = done.catch(() => undefined);
    if (strict) return done;
    return done.catch((error: unknown) => {
      const wrapped = toWaError(error);
      // A session being handed over refuses batches on purpose: the simulator redelivers them to the new owner.
      const level = wrapped.code === 'SHUTTING_DOWN' ? 'info' : 'error';
      this.logger[level]({ err: wrapped, events: Object.keys(batch) }, 'handling a simulator event batch failed');
    });
  }

  private async report(event: SessionLifecycleEvent): Promise<void> {
    try {
      await this.callbacks.run(() => this.options.handler.onLifecycle(event));
    } catch (error) {
      this.logger.error({ err: toWaError(error), kind: event.kind }, 'handling a session lifecycle event failed');
    }
  }

  private me(): Contact {
    const me = this.options.auth.state.creds.me;
    return { ...me, id: me?.id ?? '' };
  }

  private registeredMe(): string | null {
    const creds = this.options.auth.state.creds;
    return credsLinked(creds) ? creds.me!.id : null;
  }

  // ---------------------------------------------------------------- QR and pairing

  private startQr(plan: QrPlan): void {
    const creds = this.options.auth.state.creds;
    const b64 = (bytes: Uint8Array | undefined): string => (bytes ? Buffer.from(bytes).toString('base64') : '');
    const refs = [...plan.refs];
    let ttl = plan.firstMs;
    const next = (): void => {
      if (this.stopped || this.connection.signal.aborted) return;
      const ref = refs.shift();
      if (ref === undefined) {
        this.qrExhausted = true;
        const sessionId = this.sessionId;
        if (sessionId !== null) void this.client.closeSession(sessionId).catch(() => undefined);
        this.connection.abort();
        return;
      }
      const qr = buildPairingQRData(ref, b64(creds.noiseKey?.public), b64(creds.signedIdentityKey?.public), creds.advSecretKey ?? '', Browsers.macOS('Desktop'));
      void this.emit({ 'connection.update': { qr } });
      if (this.qrGate.open()) void this.autoPair();
      this.qrTimer = setTimeout(next, ttl);
      ttl = plan.nextMs;
    };
    next();
  }

  private stopQr(): void {
    if (this.qrTimer) clearTimeout(this.qrTimer);
    this.qrTimer = null;
  }

  private async autoPair(): Promise<void> {
    const link = this.options.link;
    if (link.method !== 'PAIRING_CODE' || !this.driver.onPairingCode) return;
    try {
      const code = await this.requestPairingCode(link.phoneNumber);
      await this.driver.onPairingCode(this.accountId, code, link.phoneNumber);
    } catch (error) {
      this.logger.warn({ err: toWaError(error) }, 'requesting a pairing code failed');
    }
  }

  private async askPairingCode(phoneNumber: string): Promise<string> {
    await this.qrGate.wait();
    const sessionId = this.sessionId;
    if (sessionId === null || this.stopped) throw new WaError('UNAVAILABLE', 'the socket closed before WhatsApp was ready to pair', { retriable: true });
    try {
      return await this.client.rpc(sessionId, { op: 'pairingCode', phone: phoneNumber });
    } catch (error) {
      throw new WaError('UNAVAILABLE', `WhatsApp did not take the pairing request: ${toWaError(error).message}`, { cause: error, retriable: true });
    }
  }

  private failQrWaiters(error: WaError): void {
    this.qrGate.fail(error);
  }

  // ---------------------------------------------------------------- socket plumbing

  /** One socket operation; simulator errors become the Boom errors Baileys raises. */
  private async rpc<R extends RpcRequest>(sessionId: string, request: R): Promise<RpcResults[R['op']]> {
    if (sessionId !== this.sessionId || !this.connected) throw closeError('Connection Closed', 428);
    try {
      return await this.client.rpc(sessionId, request);
    } catch (error) {
      throw this.rpcError(error);
    }
  }

  private rpcError(error: unknown): Boom {
    if (error instanceof SimulatorHttpError) {
      // 410: the session ended; 404 on the session itself: the simulator restarted and forgot it.
      if (error.status === 410 || (error.status === 404 && error.field === 'sessionId')) return closeError('Connection Closed', 428);
      return new Boom(error.message, { statusCode: error.status, data: error.status });
    }
    return closeError('Connection Closed', 428);
  }

  private uploader(sessionId: string): WAMediaUploadFunction {
    return async (encFilePath, { fileEncSha256B64, mediaType }) => {
      if (sessionId !== this.sessionId) throw closeError('Connection Closed', 428);
      try {
        // Opened here so a missing file fails before any request.
        createReadStream(encFilePath).destroy();
        return await this.client.upload(sessionId, mediaType, fileEncSha256B64, encFilePath);
      } catch (error) {
        throw this.rpcError(error);
      }
    };
  }
}

