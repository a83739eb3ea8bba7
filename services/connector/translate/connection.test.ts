import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventId } from '../events/index.js';
import { connectionStateEvent, lifecycleEvent, pairingCodeEvent, QR_TTL_MS, translateBatch } from './index.js';
import { ACCOUNT, NOW, dataOf, encodeAll, testContext } from './testContext.js';

type Rec = Record<string, unknown>;

function boom(message: string, statusCode: number): Error {
  return Object.assign(new Error(message), { output: { statusCode } });
}

describe('translateBatch: connection.update', () => {
  it('given QR codes, then QR state once and connection.qr with attempts counted on the session and Baileys’ lifetimes', () => {
    const ctx = testContext();
    const first = [...translateBatch({ 'connection.update': { qr: '2@first' } }, ctx)];
    const second = [...translateBatch({ 'connection.update': { qr: '2@second' } }, ctx)];
    encodeAll([...first, ...second]);

    assert.deepEqual(first.map((e) => e.type), ['connection.state', 'connection.qr']);
    assert.deepEqual(second.map((e) => e.type), ['connection.qr']);
    assert.equal(dataOf<Rec>(first[0]).state, 'QR');
    assert.deepEqual(dataOf(first[1]), { qr: '2@first', attempt: 1, expiresAt: NOW + QR_TTL_MS.first, connectionId: 'conn-1' });
    assert.deepEqual(dataOf(second[0]), { qr: '2@second', attempt: 2, expiresAt: NOW + QR_TTL_MS.next, connectionId: 'conn-1' });
    assert.equal(second[0]?.eventId, eventId('connection.qr', ACCOUNT, ['conn-1', 2]));
    assert.ok([...first, ...second].every((e) => e.topic === 'account' && e.source === 'SYSTEM' && e.chatJid === null));
    assert.equal(ctx.session.qrAttempt, 2);
  });

  it('given connecting, a completed link, open and the offline backlog delivered, then CONNECTING, CONNECTED (with who we are) and CONNECTED with receivedPendingNotifications', () => {
    const ctx = testContext();
    const events = [
      ...translateBatch({ 'connection.update': { connection: 'connecting', receivedPendingNotifications: false } }, ctx),
      ...translateBatch({ 'connection.update': { isNewLogin: true } }, ctx),
      ...translateBatch({ 'connection.update': { connection: 'open' } }, ctx),
      ...translateBatch({ 'connection.update': { receivedPendingNotifications: true } }, ctx),
    ];
    encodeAll(events);
    assert.deepEqual(events.map((e) => dataOf<Rec>(e).state), ['CONNECTING', 'CONNECTED', 'CONNECTED']);
    const connected = dataOf<Rec>(events[1]);
    assert.deepEqual(
      [connected.previousState, connected.meJid, connected.meLid, connected.mePhone, connected.meName, connected.isNewLogin, connected.connectionId],
      ['CONNECTING', '919000000001@s.whatsapp.net', '100000000000001@lid', '919000000001', 'Me', true, 'conn-1'],
    );
    assert.equal(dataOf<Rec>(events[2]).receivedPendingNotifications, true);
    assert.notEqual(events[1]?.eventId, events[2]?.eventId);
    assert.equal(events[1]?.eventId, eventId('connection.state', ACCOUNT, ['conn-1', 'CONNECTED', null]));
  });

  it('given the runtime already said CONNECTING, when Baileys says connecting too, then it is not repeated', () => {
    const ctx = testContext();
    const runtime = connectionStateEvent(ctx, 'CONNECTING', { attempt: 2 });
    const fromBaileys = [...translateBatch({ 'connection.update': { connection: 'connecting' } }, ctx)];
    encodeAll([runtime]);
    assert.equal(dataOf<Rec>(runtime).attempt, 2);
    assert.deepEqual(fromBaileys, []);
  });

  it('given the socket closed, then DISCONNECTED with the reason of the status code and the error message', () => {
    const ctx = testContext();
    const events = [...translateBatch({ 'connection.update': { connection: 'close', lastDisconnect: { error: boom('Connection Failure', 401), date: new Date(NOW) } } }, ctx)];
    encodeAll(events);
    assert.deepEqual(
      events.map((e) => [dataOf<Rec>(e).state, dataOf<Rec>(e).reason, dataOf<Rec>(e).statusCode, dataOf<Rec>(e).errorMessage]),
      [['DISCONNECTED', 'LOGGED_OUT', 401, 'Connection Failure']],
    );
    assert.equal(ctx.session.state, 'DISCONNECTED');
  });
});

describe('lifecycleEvent', () => {
  it('given each driver decision, then its connection.state', () => {
    const ctx = testContext();
    const events = [
      lifecycleEvent({ kind: 'reconnecting', attempt: 3, delayMs: 4_000, reason: 'Connection Closed', statusCode: 428 }, ctx),
      lifecycleEvent({ kind: 'logged-out', reason: 'Stream Errored (conflict)', statusCode: 401 }, ctx),
      lifecycleEvent({ kind: 'replaced', statusCode: 440 }, ctx),
      lifecycleEvent({ kind: 'qr-exhausted' }, ctx),
    ];
    encodeAll(events);
    assert.deepEqual(
      events.map((e) => {
        const d = dataOf<Rec>(e);
        return [d.state, d.reason, d.statusCode, d.attempt, d.nextRetryAt];
      }),
      [
        ['RECONNECTING', 'CONNECTION_CLOSED', 428, 3, NOW + 4_000],
        ['LOGGED_OUT', 'LOGGED_OUT', 401, null, null],
        ['DISCONNECTED', 'CONNECTION_REPLACED', 440, null, null],
        ['DISCONNECTED', 'QR_EXHAUSTED', null, null, null],
      ],
    );
    assert.equal(events[0]?.eventId, eventId('connection.state', ACCOUNT, ['conn-1', 'RECONNECTING', 3]));
    assert.deepEqual(events.slice(1).map((e) => dataOf<Rec>(e).previousState), ['RECONNECTING', 'LOGGED_OUT', 'DISCONNECTED']);
  });

  it('given the runtime’s own decisions, then connection.state with its reasons and, from a command, COMMAND with the causation', () => {
    const ctx = testContext({ source: 'COMMAND', causationId: 'cmd-7' });
    const event = connectionStateEvent(ctx, 'DISCONNECTED', { reason: 'REQUESTED' });
    encodeAll([event]);
    assert.deepEqual([event.source, event.causationId, dataOf<Rec>(event).reason], ['COMMAND', 'cmd-7', 'REQUESTED']);
  });
});

describe('pairingCodeEvent', () => {
  it('given a pairing code, then connection.pairing_code keyed by connection and code', () => {
    const ctx = testContext();
    const event = pairingCodeEvent(ctx, 'ABCD1234', '919000000001', NOW + 180_000);
    encodeAll([event]);
    assert.deepEqual(dataOf(event), { code: 'ABCD1234', phoneNumber: '919000000001', expiresAt: NOW + 180_000, connectionId: 'conn-1' });
    assert.equal(event.eventId, eventId('connection.pairing_code', ACCOUNT, ['conn-1', 'ABCD1234']));
  });
});
