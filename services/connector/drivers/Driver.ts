import type { Readable } from 'node:stream';
import type { AuthenticationState, BaileysEventMap, WAMessage, WASocket } from '@whiskeysockets/baileys';
import type { Logger } from '../../shared/index.js';

/** One coalesced batch of Baileys events, as `sock.ev.process` delivers it. */
export type BaileysEventBatch = Partial<BaileysEventMap>;

/** The Baileys socket methods commands use. Baileys' socket has them all; the simulator implements them against its network. */
export type WaSocketPort = Pick<
  WASocket,
  | 'sendMessage'
  | 'onWhatsApp'
  | 'chatModify'
  | 'readMessages'
  | 'star'
  | 'updateBlockStatus'
  | 'fetchBlocklist'
  | 'profilePictureUrl'
  | 'fetchStatus'
  | 'updateProfileName'
  | 'updateProfileStatus'
  | 'updateProfilePicture'
  | 'getBusinessProfile'
  | 'updateBussinesProfile'
  | 'groupCreate'
  | 'groupMetadata'
  | 'groupUpdateSubject'
  | 'groupUpdateDescription'
  | 'groupSettingUpdate'
  | 'groupLeave'
  | 'groupParticipantsUpdate'
  | 'groupInviteCode'
  | 'groupRevokeInvite'
  | 'sendPresenceUpdate'
  | 'addLabel'
  | 'addChatLabel'
  | 'removeChatLabel'
  | 'newsletterCreate'
>;

/** Baileys' credentials and signal keys, backed by the encrypted `wa.session-state.v1` changelog. */
export interface SessionAuth {
  state: AuthenticationState;
  /** Persists `state.creds` (Baileys calls it on `creds.update`); resolves once durable. */
  saveCreds(): Promise<void>;
}

/** `wa.account.DisconnectReason` symbols. */
export type DisconnectReason =
  | 'UNKNOWN'
  | 'CONNECTION_CLOSED'
  | 'CONNECTION_LOST'
  | 'CONNECTION_REPLACED'
  | 'TIMED_OUT'
  | 'LOGGED_OUT'
  | 'BAD_SESSION'
  | 'RESTART_REQUIRED'
  | 'MULTIDEVICE_MISMATCH'
  | 'FORBIDDEN'
  | 'UNAVAILABLE_SERVICE'
  | 'REQUESTED'
  | 'REBALANCED'
  | 'SHUTDOWN'
  | 'QR_EXHAUSTED';

/** Why the connector closes a session without logging it out. */
export type CloseReason = 'requested' | 'rebalanced' | 'shutdown';

/** What a driver decided about its connection, beyond the raw `connection.update` events. */
export type SessionLifecycleEvent =
  /** The socket closed and will be reopened after `delayMs` (capped backoff with jitter). */
  | { kind: 'reconnecting'; attempt: number; delayMs: number; reason: string; statusCode: number | null }
  /** WhatsApp ended the session for good (logged out, or bad session after retries): credentials are void. */
  | { kind: 'logged-out'; reason: string; statusCode: number | null }
  /** Another client took over this session (connection replaced): not reopened automatically. */
  | { kind: 'replaced'; statusCode: number | null }
  /** The QR codes ran out without a scan: the session is closed until the next connect. */
  | { kind: 'qr-exhausted' };

/** Receives everything a session produces. */
export interface SessionHandler {
  /**
   * Called with each coalesced batch of Baileys events, one batch at a time; resolves once
   * the translated records are durably on Kafka. The simulator driver acknowledges inbound
   * messages to the network only then, so nothing is lost in a crash.
   */
  onEvents(batch: BaileysEventBatch): Promise<void>;
  /** Called for the driver's own connection decisions. */
  onLifecycle(event: SessionLifecycleEvent): Promise<void>;
}

export interface OpenSessionOptions {
  accountId: string;
  auth: SessionAuth;
  handler: SessionHandler;
  logger: Logger;
  /** How to link when the credentials are not registered yet. */
  link: { method: 'QR' } | { method: 'PAIRING_CODE'; phoneNumber: string };
}

/** One open WhatsApp session of one account. */
export interface WaSession {
  readonly accountId: string;
  /** The current socket; throws WaError UNAVAILABLE while not connected. */
  socket(): WaSocketPort;
  /** True once the connection is open. */
  isConnected(): boolean;
  /** Asks WhatsApp for a pairing code for this phone number (digits only). */
  requestPairingCode(phoneNumber: string): Promise<string>;
  /** Streams a message's media (decrypted); throws WaError NOT_FOUND when it has none or it expired. */
  downloadMedia(message: WAMessage): Promise<Readable>;
  /** Closes the socket without logging out; the credentials stay valid. Idempotent. */
  close(reason: CloseReason): Promise<void>;
  /** Logs out from WhatsApp (unlinks the device) and closes. */
  logout(): Promise<void>;
}

/** A way of reaching WhatsApp: Baileys for real, or the simulator. */
export interface WaDriver {
  readonly name: 'baileys' | 'simulator';
  open(options: OpenSessionOptions): Promise<WaSession>;
}
