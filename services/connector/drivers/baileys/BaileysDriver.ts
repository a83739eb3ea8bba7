import { checkPairingPhone, checkPairingRequest, QrGate } from '../QrGate.js';
import type { Readable } from 'node:stream';
import {
  Browsers,
  downloadMediaMessage,
  makeCacheableSignalKeyStore,
  makeWASocket,
  type ConnectionState,
  type SignalKeyStore,
  type UserFacingSocketConfig,
  type WABrowserDescription,
  type WAMessage,
  type WAMessageKey,
  type WASocket,
  type WAVersion,
  type proto,
} from '@whiskeysockets/baileys';
import { toWaError, WaError, type Logger } from '../../../shared/index.js';
import { credsLinked } from '../../sessionState/index.js';
import type {
  BaileysEventBatch,
  CloseReason,
  OpenSessionOptions,
  SessionLifecycleEvent,
  WaDriver,
  WaSession,
  WaSocketPort,
} from '../Driver.js';
import { CallbackScope } from '../CallbackScope.js';
import { BoundedCache } from './BoundedCache.js';
import { afterReconnect, decideOnClose, DEFAULT_RECONNECT_POLICY, type CloseHistory, type ReconnectPolicy, type SocketClose } from './decideOnClose.js';

/** Runs `run` after `delayMs`; returns a function that cancels it. */
export type Schedule = (delayMs: number, run: () => void) => () => void;

export interface BaileysDriverOptions {
  /** Accepted for the connector's wiring; sessions log through the logger given to open(). */
  logger?: Logger;
  /** WhatsApp's WebSocket endpoint; tests point it at a local server. */
  waWebSocketUrl?: string | URL;
  /** How the linked device shows on the phone; a desktop browser gets the full history sync. */
  browser?: WABrowserDescription;
  /** WhatsApp Web version to announce; default: the one Baileys was released with. */
  version?: WAVersion;
  reconnect?: ReconnectPolicy;
  random?: () => number;
  /** Schedules reconnects; default setTimeout. */
  schedule?: Schedule;
  /** Finds a message this account sent, so WhatsApp's retry requests can be answered. */
  getMessage?: (accountId: string, key: WAMessageKey) => Promise<proto.IMessage | undefined>;
  /** Told each pairing code the driver requested by itself (when the link method is PAIRING_CODE). */
  onPairingCode?: (accountId: string, code: string, phoneNumber: string) => void | Promise<void>;
  /** More Baileys socket settings (timeouts, caches); the driver's own settings win. */
  socketConfig?: Partial<UserFacingSocketConfig>;
  /** How long close() waits for event batches already received to be handled. */
  drainTimeoutMs?: number;
  /** Builds the socket; tests wrap Baileys' own to reach the socket. */
  makeSocket?: (config: UserFacingSocketConfig) => WASocket;
}

const DEFAULT_DRAIN_MS = 15_000;
// HTTP statuses of an expired media URL: the sender's phone has to upload the file again.
const MEDIA_GONE = new Set([404, 410]);

/** Real WhatsApp through Baileys' multi-device WebSocket. */
export class BaileysDriver implements WaDriver {
  readonly name = 'baileys' as const;

  constructor(private readonly options: BaileysDriverOptions = {}) {}

  /** Opens a session; the socket connects in the background and reports through the handler. */
  async open(options: OpenSessionOptions): Promise<WaSession> {
    if (options.link.method === 'PAIRING_CODE') checkPairingPhone(options.link.phoneNumber);
    const session = new BaileysSession(options, this.options);
    session.start();
    return session;
  }
}

/** The Baileys logger: a child at warn (Baileys is chatty), never more verbose than its parent. */
function baileysLogger(logger: Logger): Logger {
  const level = logger.levelVal > logger.levels.values.warn! ? logger.level : 'warn';
  return logger.child({ component: 'baileys' }, { level });
}

/** The status code of a Baileys (Boom) error: `output.statusCode`. */
function statusOf(error: unknown): number | null {
  const output = (error as { output?: { statusCode?: unknown } } | null | undefined)?.output;
  return typeof output?.statusCode === 'number' ? output.statusCode : null;
}

function socketClose(error: Error | undefined): SocketClose {
  return { statusCode: statusOf(error), message: error?.message ?? '' };
}

function defaultSchedule(delayMs: number, run: () => void): () => void {
  const timer = setTimeout(run, delayMs);
  return () => clearTimeout(timer);
}

class BaileysSession implements WaSession {
  readonly accountId: string;
  private readonly logger: Logger;
  private readonly baileysLogger: Logger;
  /** One cache over the session's key store, kept across reconnects. */
  private readonly keys: SignalKeyStore;
  private readonly policy: ReconnectPolicy;
  private readonly schedule: Schedule;
  private readonly random: () => number;
  private sock: WASocket | null = null;
  private connected = false;
  private stopped = false;
  /** The session's own callbacks run in it, so close() called from one does not wait for itself. */
  private readonly callbacks = new CallbackScope();
  private history: CloseHistory = { attempts: 0, badSessions: 0 };
  private cancelReconnect: (() => void) | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** Settles when the current socket emitted its close. */
  private socketClosed: Promise<void> = Promise.resolve();
  private markSocketClosed: () => void = () => {};
  /** Per socket: a QR was shown (registration underway), and the pairing code asked for on it. */
  private pairing: { phoneNumber: string; code: Promise<string> } | null = null;
  private readonly qrGate = new QrGate();

  constructor(
    private readonly options: OpenSessionOptions,
    private readonly driver: BaileysDriverOptions,
  ) {
    this.accountId = options.accountId;
    this.logger = options.logger.child({ driver: 'baileys' });
    this.baileysLogger = baileysLogger(this.logger);
    this.keys = makeCacheableSignalKeyStore(options.auth.state.keys, this.baileysLogger, new BoundedCache());
    this.policy = driver.reconnect ?? DEFAULT_RECONNECT_POLICY;
    this.schedule = driver.schedule ?? defaultSchedule;
    this.random = driver.random ?? Math.random;
  }

  /** Opens the first socket; a failure to even build it is the caller's error. */
  start(): void {
    try {
      this.openSocket();
    } catch (error) {
      this.stopped = true;
      throw new WaError('UNAVAILABLE', `cannot open a WhatsApp socket: ${toWaError(error).message}`, { cause: error });
    }
  }

  socket(): WaSocketPort {
    if (!this.sock || !this.connected) throw new WaError('UNAVAILABLE', `account ${this.accountId} is not connected to WhatsApp`);
    return this.sock;
  }

  isConnected(): boolean {
    return this.connected;
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    checkPairingRequest(this.accountId, phoneNumber, credsLinked(this.options.auth.state.creds));
    const sock = this.sock;
    if (!sock || this.stopped) throw new WaError('UNAVAILABLE', `account ${this.accountId} has no open socket to pair with`);
    // One code per socket: asking again returns it instead of replacing the one the user may be typing.
    if (this.pairing?.phoneNumber === phoneNumber) return this.pairing.code;
    const code = this.askPairingCode(sock, phoneNumber);
    this.pairing = { phoneNumber, code };
    code.catch(() => {
      if (this.pairing?.code === code) this.pairing = null;
    });
    return code;
  }

  async downloadMedia(message: WAMessage): Promise<Readable> {
    const download = (target: WAMessage): Promise<Readable> => downloadMediaMessage(target, 'stream', {});
    try {
      return await download(message);
    } catch (error) {
      if (!MEDIA_GONE.has(statusOf(error) ?? 0)) throw mediaError(error);
    }
    const sock = this.sock;
    if (!sock || !this.connected) {
      throw new WaError('UNAVAILABLE', 'the media expired on WhatsApp; asking the phone to upload it again needs a connected session', { retriable: true });
    }
    try {
      return await download(await sock.updateMediaMessage(message));
    } catch (error) {
      throw mediaError(error);
    }
  }

  async close(reason: CloseReason): Promise<void> {
    this.logger.info({ reason }, 'closing WhatsApp session');
    await this.stop(async (sock) => sock.end(undefined));
  }

  async logout(): Promise<void> {
    const wasConnected = this.connected;
    await this.stop(async (sock) => {
      if (!wasConnected) {
        this.logger.warn('logging out while not connected: the phone keeps listing this device until it is removed there');
        await sock.end(undefined);
        return;
      }
      try {
        await sock.logout();
      } catch (error) {
        this.logger.warn({ err: toWaError(error) }, 'telling WhatsApp about the logout failed');
        await sock.end(undefined);
      }
    });
  }

  private async stop(end: (sock: WASocket) => Promise<void>): Promise<void> {
    // Read before the first await: the callback scope covers only the callback's synchronous part.
    const fromCallback = this.callbacks.active;
    const first = !this.stopped;
    this.stopped = true;
    this.cancelReconnect?.();
    this.cancelReconnect = null;
    this.failQrWaiters(new WaError('UNAVAILABLE', 'the session was closed'));
    const sock = this.sock;
    if (first && sock) await end(sock);
    this.connected = false;
    if (!fromCallback) await this.drain();
  }

  /** Waits (bounded) until the socket closed and every batch it produced was handled, so its records are on Kafka. */
  private async drain(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = this.driver.drainTimeoutMs ?? DEFAULT_DRAIN_MS;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), limit)));
    // The close batch joins the chain only once the socket has closed: read the chain after that.
    const gaveUp = await Promise.race([this.socketClosed.then(() => this.chain).then(() => false), timedOut]);
    clearTimeout(timer);
    if (gaveUp) this.logger.warn({ drainTimeoutMs: limit }, 'closing without waiting further for event batches in progress');
  }

  private openSocket(): void {
    const creds = this.options.auth.state.creds;
    if (creds.me && !credsLinked(creds)) {
      // A pairing code was asked for but never entered: register afresh rather than log in as an unlinked device.
      creds.me = undefined;
      creds.pairingCode = undefined;
    }
    const make = this.driver.makeSocket ?? makeWASocket;
    const sock = make({
      ...this.driver.socketConfig,
      ...(this.driver.waWebSocketUrl === undefined ? {} : { waWebSocketUrl: this.driver.waWebSocketUrl }),
      ...(this.driver.version === undefined ? {} : { version: this.driver.version }),
      browser: this.driver.browser ?? Browsers.macOS('Desktop'),
      auth: { creds, keys: this.keys },
      logger: this.baileysLogger,
      // The command path records what it sends itself.
      emitOwnEvents: false,
      markOnlineOnConnect: false,
      syncFullHistory: true,
      getMessage: async (key) => (this.driver.getMessage ? this.driver.getMessage(this.accountId, key) : undefined),
    });
    this.sock = sock;
    this.socketClosed = new Promise<void>((resolve) => (this.markSocketClosed = resolve));
    this.connected = false;
    this.qrGate.reset();
    this.pairing = null;
    sock.ev.on('connection.update', (update) => this.onConnectionState(sock, update));
    sock.ev.process((batch) => {
      this.enqueue(() => this.handleBatch(sock, batch));
    });
  }

  /** Immediate bookkeeping, ahead of the batch queue: connected flag, QR readiness, automatic pairing code. */
  private onConnectionState(sock: WASocket, update: Partial<ConnectionState>): void {
    if (sock !== this.sock) return;
    if (update.connection === 'open') {
      this.connected = true;
      this.history = { attempts: 0, badSessions: 0 };
    }
    if (update.connection === 'close') {
      this.connected = false;
      this.markSocketClosed();
      this.failQrWaiters(new WaError('UNAVAILABLE', 'the socket closed before WhatsApp was ready to pair', { retriable: true }));
    }
    if (update.qr && this.qrGate.open()) void this.autoPair();
  }

  private async autoPair(): Promise<void> {
    const link = this.options.link;
    if (link.method !== 'PAIRING_CODE' || credsLinked(this.options.auth.state.creds)) return;
    try {
      const code = await this.requestPairingCode(link.phoneNumber);
      await this.driver.onPairingCode?.(this.accountId, code, link.phoneNumber);
    } catch (error) {
      this.logger.warn({ err: toWaError(error) }, 'requesting a pairing code failed');
    }
  }

  private async askPairingCode(sock: WASocket, phoneNumber: string): Promise<string> {
    // Before the first QR the registration is not underway yet, and Baileys would log in instead.
    await this.qrGate.wait();
    if (sock !== this.sock || this.stopped) throw new WaError('UNAVAILABLE', 'the socket closed before WhatsApp was ready to pair', { retriable: true });
    try {
      return await sock.requestPairingCode(phoneNumber);
    } catch (error) {
      throw new WaError('UNAVAILABLE', `WhatsApp did not take the pairing request: ${toWaError(error).message}`, { cause: error, retriable: true });
    }
  }

  private failQrWaiters(error: WaError): void {
    this.qrGate.fail(error);
  }

  /** Runs work after every batch received before it. */
  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain
      .then(work)
      .catch((error: unknown) => this.logger.error({ err: toWaError(error) }, 'session work failed'));
  }

  /** One batch, after the previous one: credentials first, then the handler, then the connection decision. */
  private async handleBatch(sock: WASocket, batch: BaileysEventBatch): Promise<void> {
    if (batch['creds.update']) {
      try {
        await this.options.auth.saveCreds();
      } catch (error) {
        this.logger.error({ err: toWaError(error) }, 'saving the credentials failed');
      }
    }
    try {
      await this.callbacks.run(() => this.options.handler.onEvents(batch));
    } catch (error) {
      this.logger.error({ err: toWaError(error), events: Object.keys(batch) }, 'handling a Baileys event batch failed');
    }
    const update = batch['connection.update'];
    if (update?.connection === 'close' && sock === this.sock) await this.onClose(update.lastDisconnect?.error);
  }

  private async onClose(error: Error | undefined): Promise<void> {
    this.connected = false;
    if (this.stopped) return;
    const close = socketClose(error);
    const decision = decideOnClose(close, this.history, this.policy, this.random);
    switch (decision.action) {
      case 'reconnect': {
        this.history = afterReconnect(this.history, decision);
        const { attempt, delayMs, reason } = decision;
        this.logger.info({ attempt, delayMs, reason, statusCode: close.statusCode }, 'WhatsApp socket closed: reconnecting');
        await this.report({ kind: 'reconnecting', attempt, delayMs, reason, statusCode: close.statusCode });
        if (this.stopped) return;
        this.cancelReconnect = this.schedule(delayMs, () => {
          this.cancelReconnect = null;
          if (!this.stopped) this.reopen();
        });
        return;
      }
      case 'logged-out':
        this.stopped = true;
        this.logger.warn({ reason: decision.reason, statusCode: close.statusCode }, 'WhatsApp ended the session: credentials are void');
        await this.report({ kind: 'logged-out', reason: decision.reason, statusCode: close.statusCode });
        return;
      case 'replaced':
        this.stopped = true;
        this.logger.warn({ statusCode: close.statusCode }, 'another client took over the session');
        await this.report({ kind: 'replaced', statusCode: close.statusCode });
        return;
      case 'qr-exhausted':
        this.stopped = true;
        this.logger.info('no QR was scanned in time: session closed');
        await this.report({ kind: 'qr-exhausted' });
        return;
      default:
        unreachable(decision);
    }
  }

  private reopen(): void {
    try {
      this.openSocket();
    } catch (error) {
      // Treated like a socket that closed at once: the next attempt backs off further.
      this.logger.warn({ err: toWaError(error) }, 'opening the WhatsApp socket failed');
      this.enqueue(() => this.onClose(error instanceof Error ? error : undefined));
    }
  }

  private async report(event: SessionLifecycleEvent): Promise<void> {
    try {
      await this.callbacks.run(() => this.options.handler.onLifecycle(event));
    } catch (error) {
      this.logger.error({ err: toWaError(error), kind: event.kind }, 'handling a session lifecycle event failed');
    }
  }
}

function mediaError(error: unknown): WaError {
  if (error instanceof WaError) return error;
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (status === 400 || MEDIA_GONE.has(status ?? 0) || /not a media message|No message present|re-upload failed/i.test(message)) {
    return new WaError('NOT_FOUND', 'the message has no downloadable media, or it expired', { cause: error });
  }
  return new WaError('UNAVAILABLE', 'downloading the media failed', { cause: error, retriable: true });
}

function unreachable(value: never): never {
  throw new WaError('INTERNAL', `unhandled close decision ${JSON.stringify(value)}`);
}
