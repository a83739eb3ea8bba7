import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AvroCodec } from '../../schemas/index.js';
import { toProjectedEvent } from './ProjectedEvent.js';

const codec = AvroCodec.load();
const envelope = (type: string, data: Record<string, unknown>) => ({
  eventId: 'e1',
  type,
  accountId: 'acc-1',
  chatJid: null,
  sequence: 1,
  occurredAt: 1,
  recordedAt: 2,
  correlationId: 'c',
  causationId: null,
  source: 'LIVE',
  driver: null,
  data,
});
const decoded = (type: string, data: Record<string, unknown>) =>
  codec.decode(codec.encode('wa.account.AccountEvent', envelope(type, data)), 'wa.account.AccountEvent').value;

describe('toProjectedEvent', () => {
  it('gives the data branch of a known type', () => {
    const event = toProjectedEvent('account', decoded('label.upserted', { 'wa.account.Label': { labelId: '1', name: 'x', color: 1, deleted: false } }));
    assert.equal(event?.type, 'label.upserted');
    assert.deepEqual(event?.data, { labelId: '1', name: 'x', color: 1, predefinedId: null, deleted: false });
  });

  it('skips an event type this build does not know (a newer producer)', () => {
    assert.equal(toProjectedEvent('account', decoded('label.renamed.v9', { 'wa.account.Label': { labelId: '1', name: 'x', color: 1, deleted: false } })), null);
  });

  it('refuses an event whose data is not the branch its type carries', () => {
    assert.throws(() => toProjectedEvent('account', decoded('label.upserted', { 'wa.account.LidMapping': { lid: '1@lid', pn: '1@s.whatsapp.net', source: 'CONTACT' } })), { code: 'CODEC' });
  });

  it('turns a command result into an event named after its command', () => {
    const result = {
      commandId: 'cmd-1',
      accountId: 'acc-1',
      type: 'account.delete',
      status: 'SUCCEEDED',
      completedAt: 5,
      error: null,
      result: null,
      eventIds: [],
      durationMs: null,
      correlationId: 'c',
      replayed: false,
    };
    const value = codec.decode(codec.encode('wa.commands.CommandResult', result), 'wa.commands.CommandResult').value;
    const event = toProjectedEvent('commandResults', value);
    assert.equal(event?.eventId, 'command-result:cmd-1');
    assert.equal(event?.occurredAt, 5);
    assert.equal(event?.type, 'command.result');
  });

  it('turns a webhook attempt into an event named after its attempt, at the time it was made', () => {
    const attempt = {
      attemptId: 'e1.sub-1#2',
      deliveryId: 'e1.sub-1',
      subscriptionId: 'sub-1',
      eventId: 'e1',
      eventType: 'message.received',
      accountId: 'acc-1',
      chatJid: '15550000002@s.whatsapp.net',
      attempt: 2,
      outcome: 'DEAD',
      statusCode: null,
      latencyMs: 10_000,
      error: 'timeout',
      attemptedAt: 7,
      nextAttemptAt: null,
      sourceTopic: 'wa.conversation.v1',
      sourcePartition: 1,
      sourceOffset: 42,
    };
    const value = codec.decode(codec.encode('wa.webhooks.WebhookAttempt', attempt), 'wa.webhooks.WebhookAttempt').value;
    const event = toProjectedEvent('webhookAttempts', value);
    assert.deepEqual(
      [event?.eventId, event?.accountId, event?.chatJid, event?.occurredAt, event?.recordedAt, event?.causationId, event?.type],
      ['e1.sub-1#2', 'acc-1', '15550000002@s.whatsapp.net', 7, 7, 'e1', 'webhook.attempt'],
    );
    assert.deepEqual(event?.data, attempt);
  });
});
