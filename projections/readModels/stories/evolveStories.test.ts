import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ALICE, EventFactory, key, ME, ReadModelSpec, T0 } from '../testing/index.js';

const STATUS = 'status@broadcast';

describe('stories read model', () => {
  let spec: ReadModelSpec;
  const f = new EventFactory('acc-1');
  const page = { limit: 50, offset: 0 };

  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(() => spec.close());
  beforeEach(() => spec.reset());

  it('given nothing, when stories are received and posted (twice), then they show newest first and no chat or message appears', async () => {
    await spec.when(f.message({ id: 'ST1', chat: STATUS, type: 'story.received', participant: ALICE, text: 'my day', timestamp: T0 + 1 }));
    await spec.when(f.message({ id: 'ST2', chat: STATUS, type: 'story.posted', text: 'mine', timestamp: T0 + 2 }));
    const { items, total } = await spec.reads.stories('acc-1', page);
    assert.equal(total, 2);
    assert.deepEqual(items.map((s) => [s.storyId, s.fromMe, s.senderJid, s.text, s.type]), [
      ['ST2', true, ME, 'mine', 'text'],
      ['ST1', false, ALICE, 'my day', 'text'],
    ]);
    assert.equal(await spec.reads.chat('acc-1', STATUS), null);
    assert.equal(await spec.reads.message('acc-1', 'ST1'), null);
  });

  it('given a story, when story.deleted twice, then it shows as deleted', async () => {
    await spec.given(f.message({ id: 'ST1', chat: STATUS, type: 'story.posted', timestamp: T0 }));
    await spec.when(f.conversation('story.deleted', 'MessageDeleted', { targetKey: key(STATUS, 'ST1', true), scope: 'FOR_EVERYONE' }, { chatJid: STATUS }));
    assert.equal((await spec.reads.stories('acc-1', page)).items[0]?.deleted, true);
  });

  it('given a story received as a history message, then it is a story too', async () => {
    await spec.when(f.message({ id: 'ST3', chat: STATUS, type: 'message.history', participant: ALICE }));
    assert.equal((await spec.reads.stories('acc-1', page)).total, 1);
  });
});
