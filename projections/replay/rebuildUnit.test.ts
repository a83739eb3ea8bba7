import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaError } from '../../services/shared/index.js';
import { ACCOUNT_EVENT_TYPES, CONVERSATION_EVENT_TYPES, type ProjectedEvent } from '../events/index.js';
import { READ_MODELS } from '../readModels/index.js';
import { ALICE, BOB, EventFactory, everyEventType, GROUP, key, ME } from '../readModels/testing/index.js';
import { READ_MODEL_NAMES, READS_FROM, rebuildUnitOf, WRITTEN_TOGETHER } from './rebuildUnit.js';

const f = new EventFactory('acc-1');

/** Every event type the projector reads, with the variants that make an evolve function touch other tables. */
const SAMPLES: ProjectedEvent[] = [
  ...everyEventType(f),
  f.account('group.participants', 'GroupParticipantsChanged', { groupJid: GROUP, action: 'REMOVE', participants: [{ jid: ME }] }),
  f.account('label.association', 'LabelAssociation', { labelId: '1', targetType: 'MESSAGE', chatJid: ALICE, messageId: 'M1', action: 'ADD' }),
  f.account('blocklist.changed', 'BlocklistChanged', { action: 'SET', jids: [BOB] }),
  f.conversation('chat.upserted', 'ChatChanged', { chatJid: BOB, name: 'Bob', unreadCount: 3 }, { chatJid: BOB }),
  f.message({ id: 'M3', chat: GROUP, type: 'message.received', participant: BOB }),
  f.conversation('message.status', 'MessageStatusChanged', { key: key(ALICE, 'M1'), status: 'READ' }, { chatJid: ALICE }),
  f.conversation('message.reaction', 'MessageReacted', { reaction: { targetKey: key(ALICE, 'M1'), text: '' }, reactorJid: ME }, { chatJid: ALICE }),
  f.conversation('chat.updated', 'ChatChanged', { chatJid: ALICE, archived: true, unreadCount: 0 }, { chatJid: ALICE }),
  f.conversation('message.deleted', 'MessageDeleted', { targetKey: key(ALICE, 'M2', true), scope: 'FOR_ME' }, { chatJid: ALICE }),
  f.account('account.deleted', 'AccountDeleted', { deletedBy: 'admin', purgeData: false }),
];

const OWNER = new Map(READ_MODELS.flatMap((model) => model.tables.map((table) => [table, model.name] as const)));

function tablesIn(sql: string, pattern: RegExp): Set<string> {
  return new Set([...sql.matchAll(pattern)].map((match) => match[1]!.toLowerCase()).filter((table) => OWNER.has(table)));
}

/** The other read models each model's evolve functions write (`writes`) or read (`reads`) over the samples. */
function observedCoupling(): { writes: Map<string, Set<string>>; reads: Map<string, Set<string>> } {
  const writes = new Map(READ_MODEL_NAMES.map((name) => [name, new Set<string>()]));
  const reads = new Map(READ_MODEL_NAMES.map((name) => [name, new Set<string>()]));
  for (const model of READ_MODELS) {
    for (const event of SAMPLES) {
      for (const { sql } of model.evolve(event)) {
        for (const table of tablesIn(sql, /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)/gi)) writes.get(model.name)!.add(OWNER.get(table)!);
        for (const table of tablesIn(sql, /\b(?:FROM|JOIN)\s+([a-z_]+)/gi)) reads.get(model.name)!.add(OWNER.get(table)!);
      }
    }
    writes.get(model.name)!.delete(model.name);
    reads.get(model.name)!.delete(model.name);
  }
  return { writes, reads };
}

describe('rebuilding one read model', () => {
  it('has a sample of every event type', () => {
    const covered = new Set(SAMPLES.map((event) => event.type));
    for (const type of [...CONVERSATION_EVENT_TYPES, ...ACCOUNT_EVENT_TYPES, 'command.result', 'webhook.attempt']) assert.ok(covered.has(type as ProjectedEvent['type']), `no sample of ${type}`);
  });

  it('declares exactly the models whose evolve functions write or read another model’s tables', () => {
    const { writes, reads } = observedCoupling();
    const declaredWrites = new Map(READ_MODEL_NAMES.map((name) => [name, new Set(WRITTEN_TOGETHER.filter((group) => group.includes(name)).flat().filter((other) => other !== name))]));
    for (const name of READ_MODEL_NAMES) {
      // Writing each other's tables is declared both ways: one rebuild unit.
      const observed = new Set([...writes.get(name)!, ...READ_MODEL_NAMES.filter((other) => writes.get(other)!.has(name))]);
      assert.deepEqual([...observed].sort(), [...declaredWrites.get(name)!].sort(), `tables ${name} writes, or that write ${name}'s`);
      const readOnly = [...reads.get(name)!].filter((other) => !observed.has(other));
      assert.deepEqual(readOnly.sort(), [...(READS_FROM[name] ?? [])].sort(), `other models ${name} reads while applying an event`);
    }
  });

  it('given a model that writes nothing else, then it is swapped alone, applied with the models it reads', () => {
    const groups = rebuildUnitOf('groups');
    assert.deepEqual(groups.swapped.map((model) => model.name), ['groups']);
    assert.deepEqual(groups.applied.map((model) => model.name), ['accounts', 'groups'], 'accounts first, as in the catalog');
    assert.deepEqual(groups.tables, ['groups', 'group_participants']);
    const webhooks = rebuildUnitOf('webhooks');
    assert.deepEqual([webhooks.applied.map((model) => model.name), webhooks.tables], [['webhooks'], ['webhook_attempts']]);
    const labels = rebuildUnitOf('labels');
    assert.deepEqual(labels.applied.map((model) => model.name), ['labels']);
    assert.deepEqual(labels.tables, ['labels', 'label_chats', 'label_messages']);
  });

  it('given messages or chats, then both are rebuilt and swapped together', () => {
    for (const name of ['messages', 'chats']) {
      const unit = rebuildUnitOf(name);
      assert.equal(unit.model, name);
      assert.deepEqual(unit.swapped.map((model) => model.name), ['messages', 'chats']);
      assert.deepEqual(unit.applied.map((model) => model.name), ['messages', 'chats']);
      assert.deepEqual(unit.tables, ['messages', 'message_state', 'message_reactions', 'message_edits', 'poll_votes', 'chats']);
    }
  });

  it('given every model, then what is swapped is applied, and nothing another model writes is left out', () => {
    for (const name of READ_MODEL_NAMES) {
      const unit = rebuildUnitOf(name);
      for (const model of unit.swapped) assert.ok(unit.applied.includes(model), `${name}: ${model.name} is applied`);
      assert.ok(unit.swapped.some((model) => model.name === name));
    }
  });

  it('given an unknown name, then it is refused with the names there are', () => {
    assert.throws(
      () => rebuildUnitOf('chat'),
      (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'model' && READ_MODEL_NAMES.every((name) => error.message.includes(name)),
    );
  });
});
