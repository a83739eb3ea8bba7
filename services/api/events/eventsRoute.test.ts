import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaError } from '../../shared/index.js';
import type { LiveEvent } from '../ApiServices.js';
import { authorizeStream, sseEvent } from './eventsRoute.js';

const event: LiveEvent = {
  position: 'wa.account.v1:2:9',
  eventId: 'e9',
  type: 'connection.state',
  accountId: 'a',
  chatJid: null,
  sequence: 3,
  occurredAt: 1,
  recordedAt: 2,
  envelope: { eventId: 'e9', type: 'connection.state', note: 'two\nlines' },
  cursor: 'wa.account.v1:2:9,wa.conversation.v1:2:-1',
};

describe('GET /events', () => {
  it('frames an event as SSE: the cursor as id, the type as event, the event as one data line', () => {
    const frame = sseEvent(event);
    assert.ok(frame.endsWith('\n\n'));
    const lines = frame.slice(0, -2).split('\n');
    assert.deepEqual(lines.slice(0, 2), ['id: wa.account.v1:2:9,wa.conversation.v1:2:-1', 'event: connection.state']);
    assert.equal(lines.length, 3, 'the data is one line even when a value holds a line break');
    assert.deepEqual(JSON.parse(lines[2]!.slice('data: '.length)), { position: 'wa.account.v1:2:9', ...event.envelope });
    const { cursor: _cursor, ...withoutCursor } = event;
    assert.ok(sseEvent(withoutCursor).startsWith('id: wa.account.v1:2:9\n'), 'without a cursor the position is the id');
  });

  it('lets the admin stream anything and an account key only its own account', () => {
    const fails = (code: string) => (error: unknown) => error instanceof WaError && error.code === code;
    authorizeStream({ kind: 'admin', keyId: 'admin' }, null);
    authorizeStream({ kind: 'admin', keyId: 'admin' }, ['x', 'y']);
    authorizeStream({ kind: 'account', keyId: 'k', accountId: 'a' }, ['a']);
    assert.throws(() => authorizeStream({ kind: 'account', keyId: 'k', accountId: 'a' }, null), fails('FORBIDDEN'));
    assert.throws(() => authorizeStream({ kind: 'account', keyId: 'k', accountId: 'a' }, ['a', 'b']), fails('FORBIDDEN'));
    assert.throws(() => authorizeStream({ kind: 'anonymous' }, ['a']), fails('UNAUTHORIZED'));
  });
});
