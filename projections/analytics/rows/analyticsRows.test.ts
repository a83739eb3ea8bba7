import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALICE, EventFactory, everyEventType, key, T0 } from '../../readModels/testing/index.js';
import { analyticsRows } from './analyticsRows.js';

const SOURCE = { partition: 3, offset: 41 };

describe('analytics rows (pure: event → fact rows)', () => {
  const f = new EventFactory('acc-1');
  const events = everyEventType(f);

  it('given every event type, only messages, stories, receipts, connection states, command results and webhook attempts give rows', () => {
    const counted = events.filter((event) => analyticsRows(event, SOURCE).length > 0).map((event) => event.type);
    assert.deepEqual(counted, [
      'connection.state',
      'connection.state',
      'message.received',
      'message.sent',
      'message.history',
      'story.received',
      'story.posted',
      'message.status',
      'command.result',
      'webhook.attempt',
      'webhook.attempt',
    ]);
  });

  it('the same event twice gives the same rows (the sink keys on their ids)', () => {
    for (const event of events) assert.deepEqual(analyticsRows(event, SOURCE), analyticsRows(structuredClone(event), SOURCE), event.type);
  });

  it('a received image: direction, kind, media size, times in UTC seconds, its source', () => {
    const image = { 'wa.conversation.ImageContent': { media: { mimetype: 'image/jpeg', status: 'STORED', fileLength: 52_113 }, caption: 'look' } };
    const event = f.message({ id: 'M9', type: 'message.received', kind: 'IMAGE', content: image, timestamp: Date.UTC(2026, 10, 21, 9, 30, 15, 500) });
    assert.deepEqual(analyticsRows(event, SOURCE), [
      {
        table: 'messages',
        row: {
          account_id: 'acc-1',
          event_id: event.eventId,
          event_type: 'message.received',
          message_id: 'M9',
          chat_jid: ALICE,
          chat_kind: 'user',
          direction: 'inbound',
          origin: 'live',
          content_type: 'image',
          from_me: 0,
          text_length: 4,
          media_bytes: 52_113,
          sent_at: '2026-11-21 09:30:15',
          recorded_at: '2026-11-21 09:30:15',
          src_partition: 3,
          src_offset: 41,
        },
      },
    ]);
  });

  it('history, stories, groups and sent messages are told apart', () => {
    const row = (event: ReturnType<EventFactory['message']>): Record<string, unknown> => analyticsRows(event, SOURCE)[0]!.row as unknown as Record<string, unknown>;
    assert.equal(row(f.message({ id: 'H', type: 'message.history', timestamp: T0 })).origin, 'history');
    assert.equal(row(f.message({ id: 'S', chat: 'status@broadcast', type: 'story.posted' })).chat_kind, 'status');
    assert.equal(row(f.message({ id: 'G', chat: '120363000000000001@g.us', participant: ALICE })).chat_kind, 'group');
    const sent = row(f.message({ id: 'O', type: 'message.sent', text: 'hello' }));
    assert.deepEqual([sent.direction, sent.from_me, sent.text_length], ['outbound', 1, 5]);
  });

  it('a receipt, a connection state and a failed command', () => {
    const receipt = f.conversation('message.status', 'MessageStatusChanged', { key: key(ALICE, 'M2', true), status: 'DELIVERY_ACK', statusAt: T0 + 2_000 }, { chatJid: ALICE });
    assert.deepEqual(analyticsRows(receipt, SOURCE)[0], {
      table: 'message_status',
      row: { account_id: 'acc-1', event_id: receipt.eventId, message_id: 'M2', chat_jid: ALICE, chat_kind: 'user', from_me: 1, status: 'delivered', error_code: 0, status_at: '2024-11-19 04:20:02', recorded_at: analyticsRowsRecorded(receipt.recordedAt), src_partition: 3, src_offset: 41 },
    });
    const closed = f.account('connection.state', 'ConnectionStateChanged', { state: 'DISCONNECTED', previousState: 'CONNECTED', reason: 'CONNECTION_LOST', statusCode: 428, attempt: 2, connectionId: 'c2' });
    const connection = analyticsRows(closed, SOURCE)[0]!.row as unknown as Record<string, unknown>;
    assert.deepEqual([connection.state, connection.previous_state, connection.reason, connection.status_code, connection.attempt], ['disconnected', 'connected', 'connection_lost', 428, 2]);
    const failed = f.commandResult('cmd-9', { status: 'FAILED', error: { code: 'NOT_FOUND', message: 'no such chat', retriable: false, statusCode: 404, field: 'to' }, result: null, durationMs: 87 });
    assert.deepEqual(analyticsRows(failed, SOURCE)[0]!.row, { account_id: 'acc-1', command_id: 'cmd-9', command_type: 'message.send', status: 'failed', error_code: 'NOT_FOUND', duration_ms: 87, completed_at: '2024-11-19 04:20:00', src_partition: 3, src_offset: 41 });
  });
});

describe('analytics rows of the webhook delivery log', () => {
  const f = new EventFactory('acc-1');

  it('a delivered attempt: ids, the subscription as endpoint, outcome in lower case, status, latency, time in UTC seconds', () => {
    const event = f.webhookAttempt('E1', 'sub-1', 1, { eventType: 'message.sent', statusCode: 204, latencyMs: 183, attemptedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 600) });
    assert.deepEqual(analyticsRows(event, SOURCE), [
      {
        table: 'webhook_deliveries',
        row: {
          account_id: 'acc-1',
          attempt_id: 'E1.sub-1#1',
          delivery_id: 'E1.sub-1',
          endpoint_id: 'sub-1',
          event_type: 'message.sent',
          attempt: 1,
          outcome: 'delivered',
          http_status: 204,
          latency_ms: 183,
          at: '2026-01-02 03:04:05',
          src_partition: 3,
          src_offset: 41,
        },
      },
    ]);
  });

  it('every outcome is a row; no response is http_status 0', () => {
    const outcomes = ['UNKNOWN', 'DELIVERED', 'RETRYING', 'DEAD', 'GONE', 'DISABLED', 'CANCELLED'];
    const rows = outcomes.map((outcome, i) => analyticsRows(f.webhookAttempt(`E${i}`, 'sub-1', 7, { outcome, statusCode: null, latencyMs: 0 }), SOURCE)[0]!.row as unknown as Record<string, unknown>);
    assert.deepEqual(rows.map((row) => row.outcome), ['unknown', 'delivered', 'retrying', 'dead', 'gone', 'disabled', 'cancelled']);
    assert.deepEqual(new Set(rows.map((row) => `${String(row.http_status)}/${String(row.latency_ms)}/${String(row.attempt)}`)), new Set(['0/0/7']));
  });
});

function analyticsRowsRecorded(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
