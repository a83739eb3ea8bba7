import type { BaileysEventMap } from '@whiskeysockets/baileys';
import type { DisconnectReason, SessionLifecycleEvent } from '../drivers/Driver.js';

export type { DisconnectReason };
import type { DraftEvent } from '../events/index.js';
import { assertNever } from './assertNever.js';
import { draft } from './draft.js';
import { ownJids } from './jids.js';
import type { TranslateContext } from './TranslateContext.js';

/** `wa.account.ConnectionState` symbols. */
export type ConnectionState = 'NOT_STARTED' | 'CONNECTING' | 'QR' | 'PAIRING' | 'CONNECTED' | 'RECONNECTING' | 'DISCONNECTED' | 'LOGGED_OUT';

/** Optional fields of a `connection.state` event. */
export interface ConnectionStateExtra {
  reason?: DisconnectReason | null;
  statusCode?: number | null;
  errorMessage?: string | null;
  attempt?: number | null;
  nextRetryAt?: number | null;
  isNewLogin?: boolean | null;
  receivedPendingNotifications?: boolean | null;
  /** Extra natural-key parts after (connectionId, state, attempt), for a second event in one state. */
  keySuffix?: string[];
}

/** Baileys' first QR lives 60 s, the following ones 20 s (its default `qrTimeout`). */
export const QR_TTL_MS = { first: 60_000, next: 20_000 } as const;

const REASON_BY_STATUS: Readonly<Record<number, DisconnectReason>> = {
  428: 'CONNECTION_CLOSED',
  408: 'CONNECTION_LOST',
  440: 'CONNECTION_REPLACED',
  401: 'LOGGED_OUT',
  500: 'BAD_SESSION',
  515: 'RESTART_REQUIRED',
  411: 'MULTIDEVICE_MISMATCH',
  403: 'FORBIDDEN',
  503: 'UNAVAILABLE_SERVICE',
};

/** DisconnectReason of a Baileys close status code (`DisconnectReason` numbers). */
export function disconnectReasonOf(statusCode: number | null): DisconnectReason {
  return statusCode === null ? 'UNKNOWN' : (REASON_BY_STATUS[statusCode] ?? 'UNKNOWN');
}

/**
 * `connection.state` for a state the runtime (or a translated update) decided; records it in
 * `ctx.session.state`. Natural key: connectionId, state, attempt. CONNECTED carries who we are.
 */
export function connectionStateEvent(ctx: TranslateContext, state: ConnectionState, extra: ConnectionStateExtra = {}): DraftEvent {
  const previous = ctx.session.state;
  ctx.session.state = state;
  const connected = state === 'CONNECTED';
  const attempt = extra.attempt ?? null;
  const me = ownJids(ctx);
  return draft(ctx, {
    type: 'connection.state',
    branch: 'wa.account.ConnectionStateChanged',
    data: {
      state,
      previousState: previous === '' || previous === 'UNKNOWN' ? null : previous,
      reason: extra.reason ?? null,
      statusCode: extra.statusCode ?? null,
      errorMessage: extra.errorMessage ?? null,
      meJid: connected ? me.pn : null,
      meLid: connected ? me.lid : null,
      mePhone: connected && me.pn !== null ? (me.pn.split('@')[0] ?? null) : null,
      meName: connected ? (ctx.meName ?? null) : null,
      platform: connected ? (ctx.platform ?? null) : null,
      isNewLogin: extra.isNewLogin ?? null,
      receivedPendingNotifications: extra.receivedPendingNotifications ?? null,
      attempt,
      nextRetryAt: extra.nextRetryAt ?? null,
      connectionId: ctx.session.connectionId,
    },
    chatJid: null,
    occurredAt: ctx.now(),
    source: 'SYSTEM',
    key: [ctx.session.connectionId, state, attempt, ...(extra.keySuffix ?? [])],
  });
}

/** `connection.pairing_code` (natural key: connectionId, code); the session waits in PAIRING. */
export function pairingCodeEvent(ctx: TranslateContext, code: string, phoneNumber: string, expiresAt: number | null): DraftEvent {
  return draft(ctx, {
    type: 'connection.pairing_code',
    branch: 'wa.account.PairingCodeIssued',
    data: { code, phoneNumber, expiresAt, connectionId: ctx.session.connectionId },
    chatJid: null,
    occurredAt: ctx.now(),
    source: 'SYSTEM',
    key: [ctx.session.connectionId, code],
  });
}

/** `connection.state` of a driver decision: RECONNECTING (attempt, nextRetryAt), LOGGED_OUT, DISCONNECTED (replaced, QR exhausted). */
export function lifecycleEvent(event: SessionLifecycleEvent, ctx: TranslateContext): DraftEvent {
  switch (event.kind) {
    case 'reconnecting':
      return connectionStateEvent(ctx, 'RECONNECTING', {
        reason: disconnectReasonOf(event.statusCode),
        statusCode: event.statusCode,
        errorMessage: event.reason,
        attempt: event.attempt,
        nextRetryAt: ctx.now() + event.delayMs,
      });
    case 'logged-out': {
      const reason = disconnectReasonOf(event.statusCode);
      return connectionStateEvent(ctx, 'LOGGED_OUT', {
        reason: reason === 'UNKNOWN' ? 'LOGGED_OUT' : reason,
        statusCode: event.statusCode,
        errorMessage: event.reason,
      });
    }
    case 'replaced':
      return connectionStateEvent(ctx, 'DISCONNECTED', { reason: 'CONNECTION_REPLACED', statusCode: event.statusCode });
    case 'qr-exhausted':
      return connectionStateEvent(ctx, 'DISCONNECTED', { reason: 'QR_EXHAUSTED' });
    default:
      return assertNever(event);
  }
}

/**
 * `connection.update` → `connection.qr` (attempt counted in `ctx.session`, expiry from Baileys'
 * QR lifetimes) and `connection.state`: QR when the first code arrives, CONNECTING, CONNECTED
 * (with our JIDs), DISCONNECTED on close (reason from the status code; the driver's decision
 * follows as a lifecycle event). A state the session is already in is not repeated.
 */
export function* translateConnectionUpdate(update: BaileysEventMap['connection.update'], ctx: TranslateContext): Generator<DraftEvent> {
  const session = ctx.session;
  if (update.isNewLogin === true) session.newLogin = true;
  if (typeof update.qr === 'string' && update.qr.length > 0) {
    if (session.state !== 'QR') yield connectionStateEvent(ctx, 'QR');
    session.qrAttempt += 1;
    const attempt = session.qrAttempt;
    const now = ctx.now();
    yield draft(ctx, {
      type: 'connection.qr',
      branch: 'wa.account.QrCodeIssued',
      data: { qr: update.qr, attempt, expiresAt: now + (attempt === 1 ? QR_TTL_MS.first : QR_TTL_MS.next), connectionId: session.connectionId },
      chatJid: null,
      occurredAt: now,
      source: 'SYSTEM',
      key: [session.connectionId, attempt],
    });
  }
  switch (update.connection) {
    case 'connecting':
      if (session.state !== 'CONNECTING') yield connectionStateEvent(ctx, 'CONNECTING');
      break;
    case 'open': {
      const isNewLogin = session.newLogin === true;
      session.newLogin = false;
      yield connectionStateEvent(ctx, 'CONNECTED', {
        isNewLogin,
        receivedPendingNotifications: update.receivedPendingNotifications ?? null,
      });
      break;
    }
    case 'close': {
      const error = update.lastDisconnect?.error;
      const statusCode = statusCodeOf(error);
      yield connectionStateEvent(ctx, 'DISCONNECTED', {
        reason: disconnectReasonOf(statusCode),
        statusCode,
        errorMessage: error?.message ?? null,
      });
      break;
    }
    case undefined:
      // Offline notifications delivered: a second CONNECTED, told apart by its key suffix.
      if (update.receivedPendingNotifications === true && session.state === 'CONNECTED') {
        yield connectionStateEvent(ctx, 'CONNECTED', { receivedPendingNotifications: true, keySuffix: ['receivedPendingNotifications'] });
      }
      break;
    default:
      assertNever(update.connection);
  }
}

function statusCodeOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const boom = error as { output?: { statusCode?: unknown }; statusCode?: unknown };
  const code = boom.output?.statusCode ?? boom.statusCode;
  return typeof code === 'number' && Number.isInteger(code) ? code : null;
}
