import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DisconnectReason } from '@whiskeysockets/baileys';
import { afterReconnect, closeReason, decideOnClose, type CloseHistory, type ReconnectPolicy } from './decideOnClose.js';

const policy: ReconnectPolicy = { backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0.5 }, maxBadSessions: 3 };
const fresh: CloseHistory = { attempts: 0, badSessions: 0 };
const top = (): number => 1;

function decide(statusCode: number | null, history: CloseHistory = fresh, message = 'Connection Terminated', random = top) {
  return decideOnClose({ statusCode, message }, history, policy, random);
}

describe('decideOnClose', () => {
  it('stops for good, credentials void, on logged out, forbidden and multi-device mismatch', () => {
    assert.deepEqual(decide(DisconnectReason.loggedOut), { action: 'logged-out', reason: 'LOGGED_OUT' });
    assert.deepEqual(decide(DisconnectReason.forbidden), { action: 'logged-out', reason: 'FORBIDDEN' });
    assert.deepEqual(decide(DisconnectReason.multideviceMismatch), { action: 'logged-out', reason: 'MULTIDEVICE_MISMATCH' });
    // Whatever happened before.
    assert.deepEqual(decide(401, { attempts: 9, badSessions: 2 }), { action: 'logged-out', reason: 'LOGGED_OUT' });
  });

  it('does not reopen a replaced connection', () => {
    assert.deepEqual(decide(DisconnectReason.connectionReplaced), { action: 'replaced', reason: 'CONNECTION_REPLACED' });
  });

  it('stops when the QR codes ran out, but reconnects on other timeouts', () => {
    assert.deepEqual(decide(408, fresh, 'QR refs attempts ended'), { action: 'qr-exhausted', reason: 'QR_EXHAUSTED' });
    assert.deepEqual(decide(408, fresh, 'Connection was lost'), { action: 'reconnect', attempt: 1, delayMs: 100, reason: 'CONNECTION_LOST' });
    assert.deepEqual(decide(408, fresh, 'WebSocket Error (connect ECONNREFUSED 127.0.0.1:1)'), { action: 'reconnect', attempt: 1, delayMs: 100, reason: 'TIMED_OUT' });
  });

  it('restarts at once when WhatsApp asks (after pairing), backing off only in a restart loop', () => {
    assert.deepEqual(decide(DisconnectReason.restartRequired), { action: 'reconnect', attempt: 1, delayMs: 0, reason: 'RESTART_REQUIRED' });
    assert.deepEqual(decide(515, { attempts: 1, badSessions: 0 }), { action: 'reconnect', attempt: 2, delayMs: 200, reason: 'RESTART_REQUIRED' });
  });

  it('reconnects with capped exponential backoff on closed, lost, timed out, unavailable and unknown', () => {
    const cases: Array<[number | null, string]> = [
      [DisconnectReason.connectionClosed, 'CONNECTION_CLOSED'],
      [DisconnectReason.timedOut, 'TIMED_OUT'],
      [DisconnectReason.unavailableService, 'UNAVAILABLE_SERVICE'],
      [499, 'UNKNOWN'],
      [null, 'UNKNOWN'],
    ];
    for (const [statusCode, reason] of cases) {
      let history = fresh;
      const delays: number[] = [];
      for (let i = 0; i < 6; i++) {
        const decision = decide(statusCode, history);
        assert.equal(decision.action, 'reconnect');
        if (decision.action !== 'reconnect') return;
        assert.equal(decision.reason, reason);
        assert.equal(decision.attempt, i + 1);
        delays.push(decision.delayMs);
        history = afterReconnect(history, decision);
      }
      assert.deepEqual(delays, [100, 200, 400, 800, 1_000, 1_000], String(statusCode));
    }
  });

  it('jitters the delay down to half of it', () => {
    assert.equal((decide(428, { attempts: 2, badSessions: 0 }, '', () => 0) as { delayMs: number }).delayMs, 200);
    assert.equal((decide(428, { attempts: 2, badSessions: 0 }, '', () => 0.5) as { delayMs: number }).delayMs, 300);
  });

  it('retries a bad session, then treats it as logged out after repeated failures', () => {
    let history = fresh;
    const first = decide(DisconnectReason.badSession, history);
    assert.deepEqual(first, { action: 'reconnect', attempt: 1, delayMs: 100, reason: 'BAD_SESSION' });
    history = afterReconnect(history, first as Extract<typeof first, { action: 'reconnect' }>);
    // Other failures in between do not count as bad sessions.
    const closed = decide(428, history);
    history = afterReconnect(history, closed as Extract<typeof closed, { action: 'reconnect' }>);
    assert.deepEqual(history, { attempts: 2, badSessions: 1 });
    const second = decide(500, history);
    assert.equal(second.action, 'reconnect');
    history = afterReconnect(history, second as Extract<typeof second, { action: 'reconnect' }>);
    assert.deepEqual(decide(500, history), { action: 'logged-out', reason: 'BAD_SESSION' });
  });

  it('never counts a transport failure Baileys reports as 500 towards a logout', () => {
    let history = fresh;
    for (let i = 0; i < 10; i++) {
      const decision = decide(500, history, 'WebSocket Error (Invalid Sec-WebSocket-Accept header)');
      assert.equal(decision.action, 'reconnect');
      assert.equal((decision as { reason: string }).reason, 'UNKNOWN');
      history = afterReconnect(history, decision as Extract<typeof decision, { action: 'reconnect' }>);
    }
    assert.equal(history.badSessions, 0);
  });

  it('classifies every Baileys DisconnectReason', () => {
    const names: Record<string, string> = {
      connectionClosed: 'CONNECTION_CLOSED',
      connectionLost: 'TIMED_OUT',
      connectionReplaced: 'CONNECTION_REPLACED',
      timedOut: 'TIMED_OUT',
      loggedOut: 'LOGGED_OUT',
      badSession: 'BAD_SESSION',
      restartRequired: 'RESTART_REQUIRED',
      multideviceMismatch: 'MULTIDEVICE_MISMATCH',
      forbidden: 'FORBIDDEN',
      unavailableService: 'UNAVAILABLE_SERVICE',
    };
    const codes = Object.entries(DisconnectReason).filter(([, code]) => typeof code === 'number') as Array<[string, number]>;
    assert.equal(codes.length, Object.keys(names).length, 'a DisconnectReason was added to Baileys');
    for (const [name, code] of codes) assert.equal(closeReason({ statusCode: code, message: '' }), names[name], name);
  });
});
