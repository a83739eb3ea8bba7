import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeliveryQueue } from './DeliveryQueue.js';
import { Journal, journalEntries } from './Journal.js';
import { applyChange, emptyState, fromSnapshot, toSnapshot, type Change } from './state.js';

const link = { phone: '15550001111', jid: '15550001111@s.whatsapp.net', name: null, linkedAt: 1 };
const message = (id: number, messageId: string): Change => ({
  op: 'enqueue',
  accountId: 'a',
  id,
  body: { kind: 'message', messageId, chatJid: '15550002222@s.whatsapp.net', participant: null, pushName: null, timestamp: 1, message: '', firstContact: false },
});

describe('applyChange', () => {
  it('given an ack of the head, then the queue moves on; an unknown or repeated ack changes nothing', () => {
    const state = emptyState();
    for (const change of [{ op: 'link', accountId: 'a', link } as Change, message(1, 'M1'), message(2, 'M2')]) applyChange(state, change);
    applyChange(state, { op: 'ack', accountId: 'a', id: 1, chunk: null, at: 5 });
    applyChange(state, { op: 'ack', accountId: 'a', id: 1, chunk: null, at: 6 });
    applyChange(state, { op: 'ack', accountId: 'a', id: 99, chunk: null, at: 6 });
    assert.deepEqual([...state.accounts.get('a')!.queue.pending()].map((d) => d.id), [2]);
  });

  it('given a history job, then only the ack of the current chunk advances it, and the last one removes it', () => {
    const state = emptyState();
    applyChange(state, {
      op: 'enqueue-history',
      accountId: 'a',
      id: 7,
      job: { total: 2_500, chats: 2, chunkSize: 1_000, seed: 'S', ownJid: link.jid, endAt: 0, nextChunk: 0 },
    });
    const queue = state.accounts.get('a')!.queue;
    applyChange(state, { op: 'ack', accountId: 'a', id: 7, chunk: 0, at: 1 });
    applyChange(state, { op: 'ack', accountId: 'a', id: 7, chunk: 0, at: 1 });
    assert.equal(queue.get(7)?.job?.nextChunk, 1, 'a stale ack does not skip a chunk');
    applyChange(state, { op: 'ack', accountId: 'a', id: 7, chunk: 1, at: 1 });
    applyChange(state, { op: 'ack', accountId: 'a', id: 7, chunk: 2, at: 1 });
    assert.equal(queue.size, 0);
  });

  it('given a state, then its snapshot rebuilds the same state and indexes', () => {
    const state = emptyState();
    applyChange(state, { op: 'link', accountId: 'a', link });
    applyChange(state, message(1, 'M1'));
    applyChange(state, {
      op: 'outbound',
      accountId: 'a',
      entry: { messageId: 'O1', to: '15550002222', chatJid: '15550002222@s.whatsapp.net', timestamp: 1, status: 'sent', receipts: [], raw: '', type: 'text', text: 'x' },
    });
    applyChange(state, { op: 'blocklist', accountId: 'a', jid: '15550003333@s.whatsapp.net', blocked: true });
    const rebuilt = fromSnapshot(JSON.parse(JSON.stringify(toSnapshot(state))));
    assert.deepEqual(toSnapshot(rebuilt), toSnapshot(state));
    assert.equal(rebuilt.accounts.get('a')!.outboxById.get('O1')?.text, 'x');
    assert.equal(rebuilt.accounts.get('a')!.queue.get(1)?.body?.kind, 'message');
  });
});

describe('DeliveryQueue', () => {
  it('given many acks from the head, then order is kept and the storage compacts', () => {
    const queue = new DeliveryQueue();
    for (let id = 1; id <= 5_000; id += 1) queue.push({ id, job: { total: 1, chats: 1, chunkSize: 1, seed: '', ownJid: '', endAt: 0, nextChunk: 0 } });
    for (let id = 1; id <= 4_000; id += 1) queue.remove(id);
    queue.remove(4_500);
    const ids = [...queue.pending()].map((d) => d.id);
    assert.equal(ids.length, 999);
    assert.equal(ids[0], 4_001);
    assert.equal(queue.get(5_000)?.id, 5_000);
  });
});

describe('Journal', () => {
  it('given a torn last line (crash mid-write), then load keeps every whole entry', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wa-journal-'));
    try {
      const { journal } = await Journal.open(dir);
      await journal.start({ seq: 0 });
      await Promise.all([journal.append([{ seq: 1 }]), journal.append([{ seq: 2 }, { seq: 3 }])]);
      await journal.close();
      await appendFile(path.join(dir, 'journal.jsonl'), '{"seq":4,"chan');
      const { contents } = await Journal.open(dir);
      assert.deepEqual(contents.entries, [{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('given a crash in the middle of a flush, then load drops that whole group and keeps the earlier ones', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wa-journal-'));
    try {
      const { journal } = await Journal.open(dir);
      await journal.start({ seq: 0 });
      await journal.append([{ seq: 1 }, { seq: 2 }]);
      await journal.append([{ seq: 3 }]);
      await journal.close();
      // What a kill -9 during the next write can leave: some whole lines of a group, not its closing line.
      await appendFile(path.join(dir, 'journal.jsonl'), '{"seq":4}\n{"seq":5}\n{"se');
      assert.deepEqual((await Journal.open(dir)).contents.entries, [{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
      await appendFile(path.join(dir, 'journal.jsonl'), '\n');
      assert.deepEqual((await Journal.open(dir)).contents.entries, [{ seq: 1 }, { seq: 2 }, { seq: 3 }], 'whole lines without their closing line count for nothing');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('given a journal of the ungrouped format (an older version), then load keeps every whole line', () => {
    assert.deepEqual(journalEntries('{"seq":1}\n{"seq":2}\n{"seq":3,"ch'), [{ seq: 1 }, { seq: 2 }]);
    assert.deepEqual(journalEntries(''), []);
  });

  it('given a closing line whose count does not match its group, then load keeps only what came before it', () => {
    assert.deepEqual(journalEntries('{"journal":2}\n{"seq":1}\n{"group":1}\n{"seq":2}\n{"group":2}\n{"seq":3}\n{"group":1}\n'), [{ seq: 1 }]);
  });

  it('given a compaction, then the snapshot holds the state and the journal restarts empty', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wa-journal-'));
    try {
      const { journal } = await Journal.open(dir);
      await journal.start({ seq: 0 });
      await journal.append([{ seq: 1 }]);
      await journal.compact(() => ({ seq: 1 }));
      await journal.append([{ seq: 2 }]);
      await journal.close();
      assert.equal(await readFile(path.join(dir, 'journal.jsonl'), 'utf8'), '{"journal":2}\n{"seq":2}\n{"group":1}\n');
      const { contents } = await Journal.open(dir);
      assert.deepEqual(contents.snapshot, { seq: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
