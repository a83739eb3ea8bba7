import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KafkaApiKeys } from '../../services/api/keys/index.js';
import { DeadLetterWriter, KafkaProducer, type TopicSpec } from '../../services/shared/kafka/index.js';
import { ApiHarness, TEST_ADMIN_KEY, freshTopic, testLogger, waitFor, type Value } from '../helpers/index.js';
import { PATIENCE, assertDeadLetters, badValues, produceBad, type BadValue } from '../helpers/badRecords.js';
import { chatMessageEvent, produceConversation } from '../helpers/webhookHarness.js';

const EVENT_SCHEMA = 'wa.conversation.ConversationEvent';
const RESULT_SCHEMA = 'wa.commands.CommandResult';

/** An SSE response read as it arrives. */
class SseReader {
  text = '';
  constructor(response: Response) {
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) this.text += decoder.decode(chunk, { stream: true });
      } catch {
        // Aborted by the test.
      }
    })();
  }

  /** The `message.received` events streamed so far: their SSE id and event id. */
  messages(): { id: string; eventId: string }[] {
    return this.text
      .split('\n\n')
      .map((block) => block.split('\n'))
      .filter((lines) => lines.includes('event: message.received'))
      .map((lines) => ({ id: lines.find((l) => l.startsWith('id: '))!.slice(4), eventId: String((JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)) as Value).eventId) }));
  }
}

/**
 * The API's readers meet records they cannot read: the command results, the event topics
 * (live streams and redelivery) and the API-key table. Nothing answers 5xx, streams go on past
 * them, and each leaves one dead letter from consumer `api`, however many readers met it.
 */
describe('dead letters of the API (the real app over HTTP, real broker)', () => {
  let api: ApiHarness;
  let producer: KafkaProducer;
  const streams: AbortController[] = [];
  const result = (accountId: string): Buffer =>
    api.h.codec.encode(RESULT_SCHEMA, { commandId: 'c', accountId, type: 'account.create', status: 'SUCCEEDED', completedAt: 1, error: null, result: null, eventIds: [], durationMs: null, correlationId: 'r', replayed: false });

  before(async () => {
    api = await ApiHarness.start({ partitions: 2 });
    producer = await KafkaProducer.connect(api.h.kafka, testLogger());
  });

  after(async () => {
    for (const controller of streams) controller.abort();
    await producer?.disconnect();
    await api?.stop();
  });

  it('webhook redelivery: queues the good events of a time range and not the broken ones', async () => {
    const accountId = 'dlq-redeliver';
    const since = new Date(Date.now() - 1_000).toISOString();
    const good = api.h.codec.encode(EVENT_SCHEMA, chatMessageEvent(accountId, '5511@s.whatsapp.net', 1));
    const bad = await produceBad(producer, api.h.topics.conversation, accountId, badValues(good, result(accountId)));
    await produceConversation(producer, api.h.codec, api.h.topics.conversation, [chatMessageEvent(accountId, '5511@s.whatsapp.net', 2)]);
    const registered = await api.call('POST', '/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['message.received'] });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const listed = await api.call('GET', '/webhooks');
    const webhookId = String((listed.body.webhooks as { id: string; url: string }[]).find((w) => w.url === 'http://127.0.0.1:9/hook')!.id);

    const redelivered = await api.call('POST', `/webhooks/${encodeURIComponent(webhookId)}/redeliver`, { since });
    assert.equal(redelivered.status, 202, JSON.stringify(redelivered.body));
    assert.equal(redelivered.body.queued, 1, 'the good event only');
    await assertDeadLetters(api.h.kafka, api.h.codec, api.h.topics.deadLetters, 'api', api.h.topics.conversation, bad);
  });

  it('command results: reads past results it cannot read, and answers the next command', async () => {
    const accountId = 'dlq-results';
    const bad = await produceBad(producer, api.h.topics.commandResults, accountId, badValues(result(accountId), api.h.codec.encode(EVENT_SCHEMA, chatMessageEvent(accountId, '5511@s.whatsapp.net', 1))));
    const created = await api.call('POST', '/accounts', { id: accountId, name: 'after the bad results' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await assertDeadLetters(api.h.kafka, api.h.codec, api.h.topics.deadLetters, 'api', api.h.topics.commandResults, bad);
  });

  it('live events: a stream goes on past broken events, a resumed one too, and each broken event has one letter', async () => {
    const accountId = 'dlq-live';
    const chat = '5599@s.whatsapp.net';
    const stream = async (headers: Record<string, string> = {}): Promise<SseReader> => {
      const controller = new AbortController();
      streams.push(controller);
      const response = await fetch(`${api.base}/events?accountId=${accountId}`, { headers: { 'x-api-key': TEST_ADMIN_KEY, ...headers }, signal: controller.signal });
      assert.equal(response.status, 200);
      const reader = new SseReader(response);
      await waitFor(() => reader.text.includes('connected'), 'the stream to open', PATIENCE);
      return reader;
    };
    // The stream says `connected` once subscribed, so what is written after that is in it.
    const live = await stream();
    await produceConversation(producer, api.h.codec, api.h.topics.conversation, [chatMessageEvent(accountId, chat, 1)]);
    const [first] = await waitFor(() => (live.messages().length === 1 ? live.messages() : null), 'the first event streamed', PATIENCE);

    const good = api.h.codec.encode(EVENT_SCHEMA, chatMessageEvent(accountId, chat, 2));
    const bad = await produceBad(producer, api.h.topics.conversation, accountId, badValues(good, result(accountId)));
    await produceConversation(producer, api.h.codec, api.h.topics.conversation, [chatMessageEvent(accountId, chat, 3)]);
    await waitFor(() => live.messages().some((m) => m.eventId === `evt-${accountId}-3`), 'the stream past the broken events', PATIENCE);
    assert.deepEqual(live.messages().map((m) => m.eventId), [`evt-${accountId}-1`, `evt-${accountId}-3`]);

    // A stream resuming before them reads them again in its catch-up: still one letter each.
    const resumed = await stream({ 'last-event-id': first!.id });
    await waitFor(() => resumed.messages().some((m) => m.eventId === `evt-${accountId}-3`), 'the resumed stream past the broken events', PATIENCE);
    await assertDeadLetters(api.h.kafka, api.h.codec, api.h.topics.deadLetters, 'api', api.h.topics.conversation, bad);
    const health = await api.call('GET', '/ping');
    assert.ok(health.status < 500);
  });

  it('api keys: reads the key table past records it cannot read, and accepts the keys after them', async () => {
    const topic: TopicSpec = await freshTopic(api.h.kafka, 'dlq-api-keys', { partitions: 2, cleanup: 'compact', key: 'entry' });
    const deadLetters = await freshTopic(api.h.kafka, 'dlq-api-keys-letters', { partitions: 2, valueSchema: 'wa.common.DeadLetter' });
    const letters = new DeadLetterWriter({ producer, topic: deadLetters, codec: api.h.codec, consumer: 'api', logger: testLogger() });
    const accountId = 'dlq-keys';
    const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
    const record = { v: 1, keyId: 'k-0', kind: 'account', accountId, label: null, sha256: 'ab'.repeat(32), createdAt: 1 };
    const broken: BadValue[] = [
      { name: 'avro, not json', value: result(accountId), reason: 'CORRUPT' },
      { name: 'truncated json', value: json(record).subarray(0, 20), reason: 'CORRUPT' },
      { name: 'json of another shape', value: json({ hello: 'world' }), reason: 'INVALID' },
      { name: 'the record of another key', value: json(record), reason: 'INVALID' },
    ];
    const bad = await produceBad(producer, topic, accountId, broken, { key: (_, i) => `k-${i + 1}` });
    const keys = await KafkaApiKeys.start({ kafka: api.h.kafka, topic, logger: testLogger(), adminKey: 'dlq-admin-key-0123456789', deadLetters: letters });
    try {
      const { key, view } = await keys.create(accountId, 'after the bad ones');
      assert.deepEqual(await keys.authenticate(key), { kind: 'account', accountId, keyId: view.keyId });
      await letters.settled();
      await assertDeadLetters(api.h.kafka, api.h.codec, deadLetters, 'api', topic, bad);
    } finally {
      await keys.stop();
    }
  });
});
