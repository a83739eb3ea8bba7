import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { WaError } from '../../../services/shared/index.js';
import { freshGroup, testLogger, waitFor } from '../../../test/helpers/index.js';
import { EventFactory, ME } from '../../readModels/testing/index.js';
import { partitionForAccount } from '../../../services/shared/kafka/index.js';
import { READ_MODEL_MIGRATIONS } from '../../readModels/readModelCatalog.js';
import { migrate, type SqlStore } from '../../store/index.js';
import type { ProjectionRunner } from '../ProjectionRunner.js';
import { replayReadModels, type ReplayProgress } from '../../replay/index.js';
import { ProjectorHarness } from './ProjectorHarness.js';
import { chatOf, groupOf, projectorScenario, scenarioSize } from './projectorScenario.js';

/** Opens stores of one engine for the suite; a name opens the same database again after a restart. */
export interface StoreFactory {
  engine: 'pglite' | 'postgres';
  /** The store `name`, its search path on `schema` when given (a rebuild's new schema). */
  open(name: string, schema?: string): Promise<SqlStore>;
  cleanup(): Promise<void>;
}

const ACCOUNTS = 6;
const MESSAGES = 120;

/**
 * The projector against the real broker and a real database engine: a live projection answers
 * the read-model queries; a crash in the middle of a batch, then a restart, ends in exactly the
 * state of an uninterrupted run; an empty database rebuilds from the log whatever Kafka's
 * committed offsets say.
 */
export function projectorSuite(stores: () => Promise<StoreFactory>): void {
  describe('projector with the real broker', { timeout: 300_000 }, () => {
    let factory: StoreFactory;
    let h: ProjectorHarness;
    let reference: SqlStore;
    let referenceRunner: ProjectionRunner;
    const referenceGroup = freshGroup('projector-reference');
    const opened: SqlStore[] = [];
    const open = async (name: string, schema?: string): Promise<SqlStore> => {
      const store = await factory.open(name, schema);
      opened.push(store);
      return store;
    };

    before(async () => {
      factory = await stores();
      h = await ProjectorHarness.start();
      await h.produce(projectorScenario(ACCOUNTS, MESSAGES, { codec: h.codec }));
      reference = await open('reference');
      referenceRunner = await h.project(reference, { groupId: referenceGroup });
      await h.caughtUp(reference);
    });

    after(async () => {
      await h?.stop();
      for (const store of opened) await store.close().catch(() => undefined);
      await factory?.cleanup();
    });

    it('answers the read-model queries from a live projection', async () => {
      const reads = h.reads(reference);
      const accounts = await reads.accounts();
      assert.equal(accounts.length, ACCOUNTS);
      for (const account of accounts) {
        assert.equal(account.status, 'connected');
        assert.equal(account.meJid, ME);
        assert.equal(account.qr, null);
        assert.ok(account.lastQrAt !== null);
      }
      const a = 'scenario-0';
      const chats = await reads.chats(a, { limit: 100, offset: 0 });
      assert.equal(chats.total, 4);
      assert.equal(chats.items.find((c) => c.chatJid === groupOf(0))?.name, 'Group 0');
      assert.equal(chats.items.find((c) => c.chatJid === chatOf(0, 1))?.unreadCount, 0);
      const archived = chats.items.find((c) => c.chatJid === chatOf(0, 2));
      assert.equal(archived?.archived, true);
      assert.deepEqual(archived?.labels, ['1']);
      assert.ok((chats.items.find((c) => c.chatJid === chatOf(0, 3))?.unreadCount ?? 0) > 0);

      const all = await reads.messagesOfAccount(a, { limit: 100, offset: 0 });
      assert.equal(all.total, MESSAGES);
      const inGroup = Array.from({ length: MESSAGES }, (_, m) => m).filter((m) => m % 7 === 3).length;
      assert.equal((await reads.messagesOfChat(a, groupOf(0), { limit: 100, offset: 0 })).total, inGroup);
      const first = await reads.message(a, '0-M00000');
      assert.equal(first?.text, 'edited 0');
      assert.equal(first?.deleted, true);
      assert.equal(first?.starred, true);
      assert.deepEqual(first?.reactions.map((r) => r.emoji), ['👍']);
      assert.equal((await reads.message(a, '0-M00004'))?.status, 'read');
      assert.equal((await reads.message(a, '0-M00001'))?.status, 'delivered');

      const group = await reads.group(a, groupOf(0));
      assert.deepEqual(group?.participants.map((p) => p.jid).sort(), [ME, chatOf(0, 2), chatOf(0, 3)].sort());
      assert.deepEqual(await reads.blocked(a), [chatOf(0, 3)]);
      assert.equal((await reads.contacts(a, { limit: 10, offset: 0 })).total, 3);
      assert.deepEqual((await reads.labels(a)).map((l) => [l.name, l.chats]), [['Customer', [chatOf(0, 2)]]]);
      assert.equal((await reads.command('cmd-scenario-0-0-M00023'))?.status, 'SUCCEEDED');
      const lag = await reads.lag();
      assert.equal(lag.events, 0);
      assert.ok(lag.appliedUpTo !== null);
    });

    it('keeps up with events written while it runs', async () => {
      const wave = projectorScenario(2, 10, { prefix: 'live', codec: h.codec });
      await h.produce(wave);
      const reads = h.reads(reference);
      await waitFor(async () => (await reads.account('live-1'))?.status === 'connected', 'the live account connected');
      await waitFor(async () => (await reads.messagesOfAccount('live-1', { limit: 100, offset: 0 })).total === 10, 'the live messages');
      await h.caughtUp(reference);
      assert.ok(scenarioSize(wave) > 0);
    });

    it('moves past aborted transactions and transaction markers without applying them', async () => {
      await h.caughtUp(reference);
      const f = new EventFactory('aborted-0', h.codec);
      const value = f.envelope('account.created', 'wa.account.AccountCreated', { name: 'never', createdBy: 'admin' });
      const producer = h.kafka.producer({ transactionalId: `test-aborted-${randomUUID()}`, idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      try {
        const tx = await producer.transaction();
        await tx.send({ topic: h.topics.account.name, messages: [{ key: 'aborted-0', value: h.codec.encode('wa.account.AccountEvent', value), partition: partitionForAccount('aborted-0', h.topics.account.partitions) }] });
        await tx.abort();
      } finally {
        await producer.disconnect();
      }
      await h.caughtUp(reference, 30_000);
      assert.equal(await h.reads(reference).account('aborted-0'), null);
    });

    it('given a crash in the middle of a batch (twice), when restarted with Kafka offsets at the end, then the state equals an uninterrupted run', async () => {
      const group = freshGroup('projector-crash');
      const crashPartWay = async (share: number): Promise<void> => {
        const store = await open('crash');
        await migrate(store, READ_MODEL_MIGRATIONS);
        const left = (await h.reads(store).lag()).events ?? 0;
        const events = Math.max(1, Math.floor(left * share));
        let applied = 0;
        const runner: ProjectionRunner = await h.project(store, {
          groupId: group,
          afterEvent: () => {
            applied += 1;
            if (applied === events) throw new WaError('INTERNAL', `injected crash after ${events} events`);
          },
        });
        let settled = false;
        void runner.done.catch(() => undefined).finally(() => (settled = true));
        // Fail, rather than hang, if the projector caught up without reaching the crash.
        await waitFor(async () => settled || (await h.reads(store).lag()).events === 0, 'the injected crash');
        assert.ok(settled, 'the projector caught up without reaching the crash');
        await assert.rejects(runner.done, /injected crash/);
        assert.ok(((await h.reads(store).lag()).events ?? 0) > 0, 'the crash left work to do');
        await store.close();
      };
      await crashPartWay(0.2);
      await crashPartWay(0.5);
      // The database is the source of truth: Kafka's committed offsets, moved to the end, must not skip anything.
      const admin = h.kafka.admin();
      await admin.connect();
      try {
        for (const topic of h.topicNames()) await admin.resetOffsets({ groupId: group, topic, earliest: false });
      } finally {
        await admin.disconnect();
      }
      const restarted = await open('crash');
      await h.project(restarted, { groupId: group });
      await h.caughtUp(restarted);
      await h.caughtUp(reference);
      assert.deepEqual(await h.state(restarted), await h.state(reference));
    });

    it('rebuilds every read model from the log into new tables, then swaps them in: the same rows as a projection from scratch', async () => {
      const wave = projectorScenario(1, 30, { prefix: 'replayed', codec: h.codec });
      const online = factory.engine === 'postgres';
      if (online) {
        // PostgreSQL: the live projector keeps running, and new events arrive during the rebuild.
        void h.produce(wave);
      } else {
        // PGlite: one process at a time, so the projector stops for the rebuild.
        await h.produce(wave);
        await h.caughtUp(reference);
        await referenceRunner.stop();
        await reference.close();
      }
      const progress: ReplayProgress[] = [];
      const result = await replayReadModels({
        kafka: h.kafka,
        topics: h.topics,
        codec: h.codec,
        logger: testLogger('replay'),
        openStore: (schema) => open('reference', schema),
        liveSchema: reference.schema,
        onProgress: (p) => progress.push(p),
        progressIntervalMs: 0,
      });
      assert.ok(result.events > 0);
      assert.equal(progress.at(-1)?.phase, 'done');
      assert.ok(progress.some((p) => p.phase === 'rebuilding' && p.total > 0));
      if (!online) {
        reference = await open('reference');
        referenceRunner = await h.project(reference, { groupId: referenceGroup });
      }
      await waitFor(async () => (await h.reads(reference).messagesOfAccount('replayed-0', { limit: 1, offset: 0 })).total === 30, 'the wave in the swapped-in tables');
      // The live projector carries on into the swapped-in tables.
      await h.produce(projectorScenario(1, 5, { prefix: 'after-swap', codec: h.codec }));
      await waitFor(async () => (await h.reads(reference).messagesOfAccount('after-swap-0', { limit: 1, offset: 0 })).total === 5, 'events after the swap');
      await h.caughtUp(reference);
      const scratch = await open('scratch');
      await h.project(scratch);
      await h.caughtUp(scratch);
      assert.deepEqual(await h.state(reference), await h.state(scratch));
    });

    it('given an empty database, when a projector of an up-to-date group starts, then it rebuilds everything from the log', async () => {
      await h.caughtUp(reference);
      // Its committed offsets are at the end of every partition once its projector has left.
      await referenceRunner.stop();
      const fresh = await open('rebuild');
      await h.project(fresh, { groupId: referenceGroup, partitionsConcurrently: 2 });
      await h.caughtUp(fresh);
      assert.deepEqual(await h.state(fresh), await h.state(reference));
    });
  });
}
