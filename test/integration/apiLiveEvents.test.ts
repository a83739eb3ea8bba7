import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { KafkaLiveEvents, parsePositions, streamEvents, type KafkaLiveEventsOptions } from '../../services/api/events/index.js';
import type { ConsumedRecord } from '../../services/shared/kafka/index.js';
import { ConnectorHarness, testLogger, waitFor, type Value } from '../helpers/index.js';

/**
 * Live events (the SSE source) against the real broker, with a real connector and the
 * simulator producing the events: filters, resuming from Last-Event-ID without gap or
 * duplicate, and a slow stream dropped instead of buffered without end.
 */

const A = 'live-a';
const B = 'live-b';
const A_PHONE = '15550500001';
const B_PHONE = '15550500002';
const FRIEND = '15550500009';

/** One SSE frame as a client parses it. */
interface Frame {
  id: string | null;
  event: string | null;
  data: Value | null;
  comment: string | null;
}

function frames(chunks: readonly string[]): Frame[] {
  return chunks
    .join('')
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const frame: Frame = { id: null, event: null, data: null, comment: null };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else if (line.startsWith('id: ')) frame.id = line.slice(4);
        else if (line.startsWith('event: ')) frame.event = line.slice(7);
        else if (line.startsWith('data: ')) frame.data = JSON.parse(line.slice(6)) as Value;
      }
      return frame;
    });
}

/** `topic:partition:offset` split into the partition key and the offset. */
function splitPosition(position: string): { key: string; offset: bigint } {
  const at = position.lastIndexOf(':');
  return { key: position.slice(0, at), offset: BigInt(position.slice(at + 1)) };
}

const positionOf = (r: Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>): string => `${r.topic}:${r.partition}:${r.offset}`;

/** A running SSE stream of `streamEvents`, collecting what it writes. */
class SseClient {
  readonly chunks: string[] = [];
  readonly controller = new AbortController();
  readonly done: Promise<void>;
  private gate: Promise<void> = Promise.resolve();
  private openGate: (() => void) | undefined;

  constructor(live: KafkaLiveEvents, filter: { accountIds: string[] | null; types: string[] | null; after: string | null }) {
    this.done = streamEvents(
      live,
      filter,
      async (chunk) => {
        await this.gate;
        this.chunks.push(chunk);
      },
      this.controller.signal,
      { writeTimeoutMs: 120_000 },
    );
  }

  /** Events only (no comments). */
  events(): Frame[] {
    return frames(this.chunks).filter((f) => f.event !== null);
  }

  /** From now on writes wait until `release()`: a client that stops reading. */
  stall(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
  }

  async close(): Promise<void> {
    this.controller.abort();
    this.release();
    await this.done;
  }
}

describe('KafkaLiveEvents (real broker, connector, simulator)', () => {
  let h: ConnectorHarness;
  const lives: KafkaLiveEvents[] = [];
  const clients: SseClient[] = [];

  async function startLive(options: Partial<KafkaLiveEventsOptions> = {}, { started = true } = {}): Promise<KafkaLiveEvents> {
    const live = new KafkaLiveEvents({
      kafka: h.kafka,
      codec: h.codec,
      topics: { conversation: h.topics.conversation, account: h.topics.account, presence: h.topics.presence },
      instanceId: `live-${randomUUID()}`,
      logger: testLogger('api'),
      ...options,
    });
    lives.push(live);
    if (started) await live.start();
    return live;
  }

  /** Opens an SSE stream and returns once it says `connected`: it is registered with the shared consumer by then. */
  async function open(live: KafkaLiveEvents, filter: { accountIds: string[] | null; types: string[] | null; after: string | null }): Promise<SseClient> {
    const client = new SseClient(live, filter);
    clients.push(client);
    await waitFor(() => client.chunks.some((chunk) => chunk.includes(': connected')), 'the stream to say connected');
    return client;
  }

  /** Every event record on the topics so far, with its position. */
  function truth(): { position: string; record: ConsumedRecord; event: Value }[] {
    return h.events.records.filter((r) => r.value).map((record) => ({ position: positionOf(record), record, event: h.codec.decode<Value>(record.value!).value }));
  }

  async function inbound(accountId: string, text: string): Promise<void> {
    await h.sim('/sim/inbound', { accountId, from: FRIEND, text });
    await h.event((e) => e.accountId === accountId && e.type === 'message.received' && JSON.stringify(e.data).includes(text), `inbound "${text}" recorded`);
  }

  before(async () => {
    h = await ConnectorHarness.start({ partitions: 3 });
    await h.startConnector();
  });

  after(async () => {
    for (const client of clients) await client.close();
    for (const live of lives) await live.close();
    await h?.stop();
    assert.deepEqual(h?.fatal, []);
  });

  it('delivers exactly the events each stream filters for, as SSE frames', async () => {
    const live = await startLive();
    const ofA = await open(live, { accountIds: [A], types: null, after: null });
    const received = await open(live, { accountIds: null, types: ['message.received'], after: null });
    const connectionOfB = await open(live, { accountIds: [B], types: ['connection.*'], after: null });

    await h.linkedAccount(A, A_PHONE);
    await h.linkedAccount(B, B_PHONE);
    await inbound(A, 'hello A');
    await inbound(B, 'hello B');

    const expect = async (client: SseClient, wanted: (e: Value) => boolean, description: string): Promise<void> => {
      const expected = truth().filter((t) => wanted(t.event));
      assert.ok(expected.length > 0, description);
      await waitFor(() => client.events().length >= expected.length, `${description}: ${expected.length} events`);
      const got = client.events();
      const last = new Map<string, bigint>();
      for (const frame of got) {
        const { key, offset } = splitPosition(frame.data!.position);
        assert.ok(offset > (last.get(key) ?? -1n), `${description}: in log order per partition`);
        last.set(key, offset);
      }
      assert.deepEqual(new Set(got.map((f) => f.data!.position)), new Set(expected.map((t) => t.position)), description);
      for (const frame of got) {
        const t = expected.find((x) => x.position === frame.data!.position)!;
        assert.equal(frame.event, t.event.type);
        assert.equal(frame.data!.eventId, t.event.eventId);
        assert.equal(frame.data!.accountId, t.event.accountId);
        assert.ok(frame.id && parsePositions(frame.id).size > 0, 'the id is a position list');
      }
    };
    await expect(ofA, (e) => e.accountId === A, 'account A');
    await expect(received, (e) => e.type === 'message.received', 'message.received');
    await expect(connectionOfB, (e) => e.accountId === B && e.type.startsWith('connection.'), "B's connection events");

    const text = received.events().map((f) => f.data!.data['wa.conversation.MessageRecorded'].message.content['wa.conversation.TextContent'].text);
    assert.deepEqual(text.sort(), ['hello A', 'hello B']);
  });

  it('resumes from Last-Event-ID with neither gap nor duplicate, while new events keep coming', async () => {
    const live = await startLive();
    const first = await open(live, { accountIds: null, types: null, after: null });
    for (let i = 0; i < 3; i += 1) {
      await inbound(A, `before A ${i}`);
      await inbound(B, `before B ${i}`);
    }
    await waitFor(() => first.events().filter((f) => f.event === 'message.received').length >= 6, 'the first stream to see 6 messages');
    const seen = first.events();
    const lastEventId = seen[Math.floor(seen.length / 2)]!.id!;
    await first.close();
    const resumeAfter = parsePositions(lastEventId);

    // While no stream is open.
    for (let i = 0; i < 2; i += 1) {
      await inbound(A, `while away A ${i}`);
      await inbound(B, `while away B ${i}`);
    }
    // And while the resumed stream catches up.
    const resumed = new SseClient(live, { accountIds: null, types: null, after: lastEventId });
    clients.push(resumed);
    for (let i = 0; i < 2; i += 1) {
      await inbound(A, `during catch-up A ${i}`);
      await inbound(B, `during catch-up B ${i}`);
    }

    const isAfter = (t: { record: ConsumedRecord }): boolean => {
      const at = resumeAfter.get(`${t.record.topic}:${t.record.partition}`);
      assert.ok(at !== undefined, `the Last-Event-ID covers ${t.record.topic}:${t.record.partition}`);
      return BigInt(t.record.offset) > at;
    };
    const expected = await waitFor(() => {
      const wanted = truth().filter(isAfter);
      const got = new Set(resumed.events().map((f) => f.data!.position));
      return wanted.every((t) => got.has(t.position)) ? wanted : null;
    }, 'the resumed stream to have every event after Last-Event-ID');
    const positions = resumed.events().map((f) => f.data!.position as string);
    assert.equal(new Set(positions).size, positions.length, 'no event twice');
    for (const position of positions) {
      const { key, offset } = splitPosition(position);
      assert.ok(offset > resumeAfter.get(key)!, `${position} is after Last-Event-ID`);
    }
    assert.ok(expected.some((t) => JSON.stringify(t.event.data).includes('while away')), 'the gap had events');
    assert.ok(expected.some((t) => JSON.stringify(t.event.data).includes('during catch-up')), 'live events came during the catch-up');
    // Together the two streams saw everything since the first one began.
    const firstSeen = new Set(seen.map((f) => f.data!.position));
    const firstStart = parsePositions(seen[0]!.id!);
    for (const t of truth()) {
      const { key, offset } = splitPosition(t.position);
      if (offset <= firstStart.get(key)!) continue;
      assert.ok(firstSeen.has(t.position) || positions.includes(t.position), `${t.position} was delivered`);
    }
  });

  it('drops a stream that stops reading, with a final comment, instead of buffering for it', async () => {
    const live = await startLive({ maxQueued: 3 });
    const slow = await open(live, { accountIds: [A], types: null, after: null });
    slow.stall();
    for (let i = 0; i < 6; i += 1) await inbound(A, `flood ${i}`);
    // Wait until the shared consumer has read the whole flood (and so offered it to the slow stream).
    const flood = truth().filter((t) => t.event.accountId === A && JSON.stringify(t.event.data).includes('flood'));
    assert.equal(flood.length, 6);
    await waitFor(async () => {
      const read = await live.positions();
      return flood.every((t) => (read.get(`${t.record.topic}:${t.record.partition}`) ?? 0n) > BigInt(t.record.offset));
    }, 'the shared consumer to read the flood');
    slow.release();
    await slow.done;
    const last = frames(slow.chunks).at(-1)!;
    assert.match(last.comment ?? '', /fell more than 3 events behind; reconnect with Last-Event-ID/);
    assert.ok(slow.events().length <= 1, `the slow stream got only what it had taken before it stalled (${slow.events().length})`);
    // The shared consumer goes on for the other streams.
    const next = await open(live, { accountIds: [A], types: ['message.received'], after: null });
    await inbound(A, 'after the flood');
    await waitFor(() => next.events().some((f) => JSON.stringify(f.data).includes('after the flood')), 'a new stream gets new events');
  });

  it("given the first stream of a process (no shared consumer yet), when it says connected, then it has every event written after that", async () => {
    const live = await startLive({}, { started: false });
    const first = await open(live, { accountIds: [A], types: ['message.received'], after: null });
    await inbound(A, 'right after connected');
    await waitFor(() => first.events().some((f) => JSON.stringify(f.data).includes('right after connected')), 'the event written right after connected');
  });

  it('refuses a malformed Last-Event-ID before any stream starts', () => {
    const live = lives[0]!;
    assert.throws(() => live.subscribe({ accountIds: null, types: null, after: 'garbage' }, new AbortController().signal), /Last-Event-ID/);
  });

  it('ends open streams when closed', async () => {
    const live = await startLive();
    const iterator = (await live.subscribe({ accountIds: [A], types: null, after: null }, new AbortController().signal))[Symbol.asyncIterator]();
    const next = iterator.next();
    await nextTurn();
    await live.close();
    await assert.rejects(next, /shutting down/);
  });
});
