import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ALICE, BOB, EventFactory, ReadModelSpec, T0 } from '../testing/index.js';

describe('labels read model', () => {
  let spec: ReadModelSpec;
  const f = new EventFactory('acc-1');
  const label = (labelId: string, name: string, at: number, deleted = false) =>
    f.account(deleted ? 'label.deleted' : 'label.upserted', 'Label', { labelId, name, color: 3, deleted }, { at, eventId: `label-${labelId}-${at}` });
  const assoc = (labelId: string, chatJid: string, action: string, at: number, messageId: string | null = null) =>
    f.account('label.association', 'LabelAssociation', { labelId, targetType: messageId === null ? 'CHAT' : 'MESSAGE', chatJid, messageId, action }, { at, eventId: `assoc-${labelId}-${chatJid}-${action}-${at}` });

  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(() => spec.close());
  beforeEach(() => spec.reset());

  it('given nothing, when labels are created and renamed (twice), then the labels show with their chats', async () => {
    await spec.when(label('1', 'New customer', T0));
    await spec.when(label('10', 'Paid', T0 + 1));
    await spec.when(label('1', 'Customer', T0 + 2));
    await spec.when(assoc('1', ALICE, 'ADD', T0 + 3));
    await spec.when(assoc('1', BOB, 'ADD', T0 + 4));
    await spec.when(assoc('1', BOB, 'REMOVE', T0 + 5));
    await spec.when(assoc('1', BOB, 'ADD', T0 + 4));
    await spec.when(assoc('10', ALICE, 'ADD', T0 + 6, 'M1'));
    assert.deepEqual(await spec.reads.labels('acc-1'), [
      { accountId: 'acc-1', labelId: '1', name: 'Customer', color: 3, chats: [ALICE] },
      { accountId: 'acc-1', labelId: '10', name: 'Paid', color: 3, chats: [] },
    ]);
    assert.equal((await spec.rowsOf('label_messages')).length, 1);
  });

  it('given a label, when it is deleted twice (and an older edit arrives late), then it is gone', async () => {
    await spec.given(label('1', 'Customer', T0));
    await spec.when(label('1', '', T0 + 5, true));
    await spec.when(label('1', 'Customer!', T0 + 2));
    assert.deepEqual(await spec.reads.labels('acc-1'), []);
  });
});
