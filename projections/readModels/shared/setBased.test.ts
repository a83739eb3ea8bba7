import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { ProjectedEvent } from '../../events/index.js';
import { migrate, PgliteStore, type SqlStore } from '../../store/index.js';
import { evolveReadModels, READ_MODEL_MIGRATIONS, READ_MODEL_TABLES } from '../readModelCatalog.js';
import { ALICE, BOB, EventFactory, GROUP, key, T0 } from '../testing/index.js';
import { setBased } from './setBased.js';
import { statement, type SetForm, type Statement } from './Statement.js';

const CHATS = [ALICE, BOB, GROUP];
const STATUSES = ['PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED', 'ERROR'] as const;

/** One step of a generated stream: an event described by small numbers, or an earlier event delivered again. */
type Step =
  | { kind: 'record'; account: number; chat: number; id: number; type: 'message.received' | 'message.sent' | 'message.history'; at: number; stub: boolean; mentions: boolean }
  | { kind: 'status'; account: number; chat: number; id: number; status: (typeof STATUSES)[number]; at: number }
  | { kind: 'chat'; account: number; chat: number; type: 'chat.updated' | 'chat.upserted'; history: boolean; unread: number | null; archived: boolean | null; name: string | null; lastAt: number | null; at: number }
  | { kind: 'other'; account: number; chat: number; id: number; what: 'deleted' | 'starred' | 'cleared' | 'chatDeleted' | 'reaction'; at: number }
  | { kind: 'again'; index: number };

const account = fc.integer({ min: 0, max: 1 });
const chat = fc.integer({ min: 0, max: CHATS.length - 1 });
const id = fc.integer({ min: 0, max: 4 });
// Few distinct times, so messages of one second (ordered by their sequence) are common.
const at = fc.integer({ min: 0, max: 3 });

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('record' as const), account, chat, id, type: fc.constantFrom('message.received' as const, 'message.sent' as const, 'message.history' as const), at, stub: fc.boolean(), mentions: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('status' as const), account, chat, id, status: fc.constantFrom(...STATUSES), at }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('chat' as const),
      account,
      chat,
      type: fc.constantFrom('chat.updated' as const, 'chat.upserted' as const),
      history: fc.boolean(),
      unread: fc.option(fc.integer({ min: 0, max: 2 })),
      archived: fc.option(fc.boolean()),
      name: fc.option(fc.constantFrom('A', 'B')),
      lastAt: fc.option(at),
      at,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('other' as const), account, chat, id, what: fc.constantFrom('deleted' as const, 'starred' as const, 'cleared' as const, 'chatDeleted' as const, 'reaction' as const), at }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('again' as const), index: fc.nat() }) },
);

/** The events of a stream: every account's events numbered in order, as its connector would. */
function eventsOf(steps: readonly Step[]): ProjectedEvent[] {
  const factories = [new EventFactory('acc-1'), new EventFactory('acc-2')];
  const events: ProjectedEvent[] = [];
  for (const s of steps) {
    if (s.kind === 'again') {
      if (events.length > 0) events.push(events[s.index % events.length]!);
      continue;
    }
    const f = factories[s.account]!;
    const chatJid = CHATS[s.chat]!;
    const time = T0 + s.at * 1_000;
    switch (s.kind) {
      case 'record':
        events.push(
          f.message({
            id: `M${s.id}`,
            chat: chatJid,
            type: s.type,
            timestamp: time,
            kind: s.stub ? 'STUB' : 'TEXT',
            text: `"quoted" \\ text of M${s.id}`,
            ...(chatJid === GROUP ? { participant: BOB } : {}),
            ...(s.mentions ? { contextInfo: { quotedMessageId: 'M0', quotedParticipant: ALICE, mentionedJids: [ALICE, BOB] } } : {}),
          }),
        );
        break;
      case 'status':
        events.push(f.conversation('message.status', 'MessageStatusChanged', { key: key(chatJid, `M${s.id}`, s.id % 2 === 0), status: s.status, statusAt: time }, { chatJid, at: time }));
        break;
      case 'chat':
        events.push(
          f.conversation(s.type, 'ChatChanged', { chatJid, unreadCount: s.unread, archived: s.archived, name: s.name, lastMessageAt: s.lastAt === null ? null : T0 + s.lastAt * 1_000 }, { chatJid, at: time, source: s.history ? 'HISTORY_SYNC' : 'LIVE' }),
        );
        break;
      case 'other':
        events.push(otherEvent(f, s.what, chatJid, `M${s.id}`, time));
        break;
      default: {
        const unreachable: never = s;
        throw new Error(`unknown step ${String(unreachable)}`);
      }
    }
  }
  return events;
}

function otherEvent(f: EventFactory, what: Extract<Step, { kind: 'other' }>['what'], chatJid: string, id: string, time: number): ProjectedEvent {
  switch (what) {
    case 'deleted':
      return f.conversation('message.deleted', 'MessageDeleted', { targetKey: key(chatJid, id), scope: 'FOR_ME' }, { chatJid, at: time });
    case 'starred':
      return f.conversation('message.starred', 'MessageStarChanged', { targetKey: key(chatJid, id), starred: true }, { chatJid, at: time });
    case 'cleared':
      return f.conversation('chat.cleared', 'ChatCleared', { chatJid, clearedAt: time, keepStarred: true }, { chatJid, at: time });
    case 'chatDeleted':
      return f.conversation('chat.deleted', 'ChatDeleted', { chatJid, deletedAt: time }, { chatJid, at: time });
    case 'reaction':
      return f.conversation('message.reaction', 'MessageReacted', { reaction: { targetKey: key(chatJid, id), text: '👍' }, reactorJid: BOB }, { chatJid, at: time });
    default: {
      const unreachable: never = what;
      return unreachable;
    }
  }
}

/** The events cut into consecutive batches at the given points. */
function batchesOf(events: readonly ProjectedEvent[], cuts: readonly number[]): ProjectedEvent[][] {
  const points = [...new Set(cuts.map((cut) => cut % (events.length + 1)))].sort((a, b) => a - b);
  const batches: ProjectedEvent[][] = [];
  let start = 0;
  for (const point of [...points, events.length]) {
    if (point > start) batches.push(events.slice(start, point));
    start = Math.max(start, point);
  }
  return batches;
}

async function snapshot(store: SqlStore): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of READ_MODEL_TABLES) tables[table] = (await store.query(`SELECT * FROM ${table} t ORDER BY t::text`)).rows;
  return tables;
}

const form = (name: string, repeat: SetForm['repeat']): SetForm => ({ name, repeat, sql: `-- ${name}`, key: (p) => String(p[0]), touches: (p) => [String(p[0]), ...(p[1] === null ? [] : [String(p[1])])] });

describe('set-based statements', () => {
  describe('rewriting', () => {
    const A = form('A', 'first');
    const B = form('B', 'waves');
    const row = (set: SetForm, key: string, touches: string | null = null): Statement => statement(`-- one ${set.name}`, [key, touches], set);
    const shape = (statements: readonly Statement[]): string[] =>
      statements.map((s) => (s.sql.startsWith('-- one') ? `${s.sql.slice(7)}(${String(s.params[0])})` : `${s.sql.slice(3)}[${(JSON.parse(String(s.params[0])) as { p1: string }[]).map((r) => r.p1).join(',')}]`));

    it('given statements of two forms, then one statement per form, in the order the forms came, a repeated key of a `first` form kept once', () => {
      assert.deepEqual(shape(setBased([row(A, 'a1'), row(B, 'b1'), row(A, 'a2'), row(A, 'a1'), row(B, 'b2')])), ['A[a1,a2]', 'B[b1,b2]']);
    });

    it('given a key repeated in a `waves` form, then its second statement goes in a second one', () => {
      assert.deepEqual(shape(setBased([row(B, 'b1'), row(B, 'b2'), row(B, 'b1'), row(B, 'b3')])), ['B[b1,b2,b3]', 'B(b1)']);
    });

    it('given a statement of an earlier form touching what a later form touched, then a new run starts before it', () => {
      assert.deepEqual(shape(setBased([row(A, 'a1'), row(B, 'b1', 'x'), row(A, 'a2', 'x'), row(A, 'a3')])), ['A(a1)', 'B(b1)', 'A[a2,a3]']);
      // A later form after an earlier one touching the same: the order is kept without a new run.
      assert.deepEqual(shape(setBased([row(A, 'a1', 'x'), row(B, 'b1', 'x'), row(A, 'a2')])), ['A[a1,a2]', 'B(b1)']);
    });

    it('given a statement without a set form, then it runs where it stood, between two runs', () => {
      const plain = statement('-- one plain', ['p', null]);
      assert.deepEqual(shape(setBased([row(A, 'a1'), row(A, 'a2'), plain, row(A, 'a1')])), ['A[a1,a2]', 'plain(p)', 'A(a1)']);
    });

    it('given a lone surrogate in a row, then the JSON carries U+FFFD as the per-event statement would store', () => {
      const [merged] = setBased([row(A, 'x\uD800y'), row(A, 'z')]);
      assert.equal((JSON.parse(String(merged!.params[0])) as { p1: string }[])[0]!.p1, 'x\uFFFDy');
    });
  });

  describe('applied', () => {
    let perEvent: SqlStore;
    let together: SqlStore;

    before(async () => {
      [perEvent, together] = await Promise.all([PgliteStore.open({ dataDir: null, schema: 'read_models' }), PgliteStore.open({ dataDir: null, schema: 'read_models' })]);
      for (const store of [perEvent, together]) await migrate(store, READ_MODEL_MIGRATIONS);
    });
    after(async () => {
      await Promise.all([perEvent.close(), together.close()]);
    });

    it('given generated streams of many chats (duplicates, statuses out of order, deletions, history unread counts), then the same tables as event by event', async () => {
      let merged = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 3 }), async (steps, cuts) => {
          for (const store of [perEvent, together]) await store.exec(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
          for (const batch of batchesOf(eventsOf(steps), cuts)) {
            const statements = batch.flatMap((event) => evolveReadModels(event));
            const rewritten = setBased(statements);
            if (rewritten.some((s) => s.params.length === 1 && s.set === undefined && s.sql.includes('json_to_recordset'))) merged += 1;
            await perEvent.transaction(async (tx) => {
              for (const event of batch) await tx.run(evolveReadModels(event));
            });
            await together.transaction((tx) => tx.run(rewritten));
          }
          assert.deepEqual(await snapshot(together), await snapshot(perEvent));
        }),
        { numRuns: 120 },
      );
      assert.ok(merged > 60, `only ${merged} batches had a statement over many rows`);
    });
  });
});
