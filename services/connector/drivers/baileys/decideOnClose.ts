import type { DisconnectReason } from '../Driver.js';
import { backoffDelay, type BackoffPolicy } from '../../../shared/index.js';

/** Why Baileys closed a socket, as `wa.account.DisconnectReason` symbols. */
export type CloseReason = Exclude<DisconnectReason, 'REQUESTED' | 'REBALANCED' | 'SHUTDOWN'>;

/** How a closed socket is reopened. */
export interface ReconnectPolicy {
  readonly backoff: BackoffPolicy;
  /** Consecutive bad-session closes (500) after which the credentials are treated as void. */
  readonly maxBadSessions: number;
}

export const DEFAULT_RECONNECT_POLICY: ReconnectPolicy = {
  backoff: { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.5 },
  maxBadSessions: 5,
};

/** What Baileys said when the socket closed (`lastDisconnect.error`). */
export interface SocketClose {
  statusCode: number | null;
  message: string;
}

/** Closes since the socket was last open. */
export interface CloseHistory {
  /** Reconnects decided so far. */
  readonly attempts: number;
  /** Of those, how many followed a bad session (500). */
  readonly badSessions: number;
}

export type CloseDecision =
  | { action: 'reconnect'; attempt: number; delayMs: number; reason: CloseReason }
  | { action: 'logged-out'; reason: CloseReason }
  | { action: 'replaced'; reason: CloseReason }
  | { action: 'qr-exhausted'; reason: CloseReason };

// Baileys ends a socket whose QR codes all expired with 408 and this message.
const QR_EXHAUSTED_MESSAGE = 'QR refs attempts ended';
// Baileys' prefix for errors of the WebSocket itself (mapWebSocketError).
const TRANSPORT_ERROR_PREFIX = 'WebSocket Error';

/** Classifies a socket close by Baileys' `DisconnectReason` status code. */
export function closeReason(close: SocketClose): CloseReason {
  switch (close.statusCode) {
    case 401:
      return 'LOGGED_OUT';
    case 403:
      return 'FORBIDDEN';
    case 408:
      // connectionLost and timedOut share 408; Baileys tells them apart only by message.
      if (close.message.includes(QR_EXHAUSTED_MESSAGE)) return 'QR_EXHAUSTED';
      return /lost/i.test(close.message) ? 'CONNECTION_LOST' : 'TIMED_OUT';
    case 411:
      return 'MULTIDEVICE_MISMATCH';
    case 428:
      return 'CONNECTION_CLOSED';
    case 440:
      return 'CONNECTION_REPLACED';
    case 500:
      // Baileys also gives 500 to transport failures it cannot classify (a broken upgrade, a
      // proxy): those say nothing about the credentials, and must never end in a logout.
      return close.message.startsWith(TRANSPORT_ERROR_PREFIX) ? 'UNKNOWN' : 'BAD_SESSION';
    case 503:
      return 'UNAVAILABLE_SERVICE';
    case 515:
      return 'RESTART_REQUIRED';
    default:
      return 'UNKNOWN';
  }
}

/**
 * What to do after a socket closed: reconnect (after a capped, jittered backoff; at once for
 * the restart WhatsApp asks for after pairing), or stop because the credentials are void
 * (logged out), another client took the session (replaced), or nobody scanned the QR.
 */
export function decideOnClose(close: SocketClose, history: CloseHistory, policy: ReconnectPolicy, random: () => number): CloseDecision {
  const reason = closeReason(close);
  const attempt = history.attempts + 1;
  const reconnect = (delayMs: number): CloseDecision => ({ action: 'reconnect', attempt, delayMs, reason });
  switch (reason) {
    case 'LOGGED_OUT':
    case 'FORBIDDEN':
    case 'MULTIDEVICE_MISMATCH':
      return { action: 'logged-out', reason };
    case 'CONNECTION_REPLACED':
      return { action: 'replaced', reason };
    case 'QR_EXHAUSTED':
      return { action: 'qr-exhausted', reason };
    case 'RESTART_REQUIRED':
      // Normal right after pairing; only a restart loop (no open in between) backs off.
      return reconnect(history.attempts === 0 ? 0 : backoffDelay(attempt, policy.backoff, random));
    case 'BAD_SESSION':
      if (history.badSessions + 1 >= policy.maxBadSessions) return { action: 'logged-out', reason };
      return reconnect(backoffDelay(attempt, policy.backoff, random));
    case 'CONNECTION_CLOSED':
    case 'CONNECTION_LOST':
    case 'TIMED_OUT':
    case 'UNAVAILABLE_SERVICE':
    case 'UNKNOWN':
      return reconnect(backoffDelay(attempt, policy.backoff, random));
    default:
      return unreachable(reason);
  }
}

/** The history after a reconnect decision. */
export function afterReconnect(history: CloseHistory, decision: Extract<CloseDecision, { action: 'reconnect' }>): CloseHistory {
  return { attempts: decision.attempt, badSessions: history.badSessions + (decision.reason === 'BAD_SESSION' ? 1 : 0) };
}

function unreachable(value: never): never {
  throw new Error(`unhandled close reason ${String(value)}`);
}
