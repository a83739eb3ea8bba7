import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../services/api/index.js';
import { commandStatusRoute, KafkaCommandBus } from '../../services/api/commands/index.js';
import { eventsRoute, KafkaLiveEvents, parsePositions } from '../../services/api/events/index.js';
import { listen, memoryKeys, testServices, type RunningApp } from '../../services/api/http/testing/apiTestKit.js';
import { StoreMediaService } from '../../services/api/media/index.js';
import { ConnectorHarness, testLogger, waitFor, type Value } from '../helpers/index.js';

/**
 * `GET /events` and `GET /commands/:commandId` over real HTTP through the API's Koa core, with
 * the real command bus and live events on the broker and a connector driving the simulator.
 */

const ADMIN = 'admin-key-streams';
const KEY_A = 'account-key-a';
const KEY_OTHER = 'account-key-other';
const A = 'http-a';
const A_PHONE = '15550600001';
const FRIEND = '15550600009';

/** An SSE response read as it arrives. */
class SseReader {
  text = '';
  readonly done: Promise<void>;

  constructor(readonly response: Response) {
    this.done = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) this.text += decoder.decode(chunk, { stream: true });
      } catch {
        // Aborted by the test.
      }
    })();
  }

  events(): { id: string; event: string; data: Value }[] {
    return this.text
      .split('\n\n')
      .map((block) => block.split('\n'))
      .filter((lines) => lines.some((l) => l.startsWith('event: ')))
      .map((lines) => ({
        id: lines.find((l) => l.startsWith('id: '))!.slice(4),
        event: lines.find((l) => l.startsWith('event: '))!.slice(7),
        data: JSON.parse(lines.find((l) => l.startsWith('data: '))!.slice(6)) as Value,
      }));
  }
}

describe('GET /events and GET /commands/:commandId over HTTP (real broker, connector, simulator)', () => {
  let h: ConnectorHarness;
  let bus: KafkaCommandBus;
  let live: KafkaLiveEvents;
  let app: RunningApp;
  const streams: AbortController[] = [];

  async function stream(path: string, key: string | null, headers: Record<string, string> = {}): Promise<SseReader> {
    const controller = new AbortController();
    streams.push(controller);
    const response = await fetch(`${app.url}${path}`, { headers: { ...(key ? { 'x-api-key': key } : {}), ...headers }, signal: controller.signal });
    if (response.status !== 200) assert.fail(`${path}: ${response.status} ${await response.text()}`);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = new SseReader(response);
    // The server writes its first line once the stream is registered.
    await waitFor(() => reader.text.includes('connected'), 'the stream to open');
    return reader;
  }

  async function inbound(text: string): Promise<void> {
    await h.sim('/sim/inbound', { accountId: A, from: FRIEND, text });
    await h.event((e) => e.accountId === A && e.type === 'message.received' && JSON.stringify(e.data).includes(text), `"${text}" recorded`);
  }

  before(async () => {
    h = await ConnectorHarness.start({ partitions: 2 });
    await h.startConnector();
    const logger = testLogger('api');
    const instanceId = `http-${randomUUID()}`;
    bus = await KafkaCommandBus.start({
      kafka: h.kafka,
      codec: h.codec,
      topics: { commands: h.topics.commands, commandResults: h.topics.commandResults },
      instanceId,
      logger,
      reads: { command: async () => null },
      waitMs: 30_000,
    });
    live = new KafkaLiveEvents({ kafka: h.kafka, codec: h.codec, topics: { conversation: h.topics.conversation, account: h.topics.account, presence: h.topics.presence }, instanceId, logger });
    await live.start();
    const services = testServices({
      commands: bus,
      events: live,
      keys: memoryKeys(ADMIN, { [KEY_A]: { keyId: 'key-a', accountId: A }, [KEY_OTHER]: { keyId: 'key-other', accountId: 'other' } }),
      media: new StoreMediaService({ store: h.media }),
    });
    app = await listen(
      createApp({
        services,
        routes: [eventsRoute, commandStatusRoute],
        logger,
        config: { apiRateLimitPerMinute: 100_000, apiRateLimitBurst: 10_000, apiBodyLimitBytes: 1_048_576, mediaMaxBytes: 1_048_576 },
        heartbeatMs: 60_000,
      }),
    );
  });

  after(async () => {
    for (const controller of streams) controller.abort();
    await app?.close();
    await live?.close();
    await bus?.stop();
    await h?.stop();
    assert.deepEqual(h?.fatal, []);
  });

  it('refuses streams a key may not see, and malformed input, before streaming', async () => {
    const status = async (path: string, key: string | null, headers: Record<string, string> = {}): Promise<number> => {
      const response = await fetch(`${app.url}${path}`, { headers: { ...(key ? { 'x-api-key': key } : {}), ...headers } });
      await response.body?.cancel();
      return response.status;
    };
    assert.equal(await status('/events', null), 401);
    assert.equal(await status('/events', KEY_A), 403, 'an account key must name its account');
    assert.equal(await status('/events?accountId=someone-else', KEY_A), 403);
    assert.equal(await status(`/events?accountId=${A},someone-else`, KEY_A), 403);
    assert.equal(await status('/events?types=not%20a%20type', ADMIN), 400);
    assert.equal(await status('/events', ADMIN, { 'last-event-id': 'garbage' }), 400);
  });

  it('streams an account its events and resumes from Last-Event-ID', async () => {
    const own = await stream(`/events?accountId=${A}`, KEY_A);
    const messages = await stream('/events?types=message.received', ADMIN);
    await h.linkedAccount(A, A_PHONE);
    await inbound('first over http');
    await waitFor(() => messages.events().length >= 1, 'the message over HTTP');
    assert.equal(messages.events()[0]!.event, 'message.received');
    assert.equal(messages.events()[0]!.data.accountId, A);
    await waitFor(() => own.events().some((e) => e.event === 'message.received'), "the account's own stream");
    assert.ok(own.events().some((e) => e.event === 'connection.state'));
    assert.ok(own.events().every((e) => e.data.accountId === A));

    const lastEventId = messages.events().at(-1)!.id;
    assert.ok(parsePositions(lastEventId).size > 0);
    streams.at(-1)!.abort();
    await inbound('second over http, while away');
    const resumed = await stream('/events?types=message.received', ADMIN, { 'last-event-id': lastEventId });
    await inbound('third over http');
    await waitFor(() => resumed.events().length >= 2, 'the missed and the new message');
    const texts = resumed.events().map((e) => e.data.data['wa.conversation.MessageRecorded'].message.content['wa.conversation.TextContent'].text);
    assert.deepEqual(texts, ['second over http, while away', 'third over http']);
  });

  it('answers GET /commands/:commandId with the result in the system envelope, 404 for unknown ids, 403 for other accounts', async () => {
    const answer = await bus.send({
      accountId: A,
      type: 'account.update',
      payload: { 'wa.commands.UpdateAccount': { name: 'Over HTTP' } } as never,
      requestId: 'req-http-1',
      idempotencyKey: null,
      requestedBy: 'admin',
    });
    assert.equal(answer.kind, 'completed');
    const commandId = answer.kind === 'completed' ? answer.result.commandId : '';
    const get = async (id: string, key: string | null) => {
      const response = await fetch(`${app.url}/commands/${encodeURIComponent(id)}`, { headers: key ? { 'x-api-key': key } : {} });
      return { status: response.status, body: (await response.json()) as Value };
    };
    const ok = await get(commandId, ADMIN);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.success, true);
    assert.equal(ok.body.data.commandId, commandId);
    assert.equal(ok.body.data.status, 'succeeded');
    assert.equal(ok.body.data.type, 'account.update');
    assert.equal(ok.body.data.result['wa.commands.AccountResult'].name, 'Over HTTP');
    assert.equal((await get(commandId, KEY_A)).status, 200, "the account's own key");
    assert.equal((await get(commandId, KEY_OTHER)).status, 403, "another account's key");
    assert.equal((await get(commandId, null)).status, 401);
    assert.equal((await get(randomUUID(), ADMIN)).status, 404);
    assert.equal((await get('not a command id', ADMIN)).status, 400);

    const otherKeyApp = await fetch(`${app.url}/commands/${commandId}`, { headers: { 'x-api-key': 'unknown-key' } });
    assert.equal(otherKeyApp.status, 401);
  });
});
