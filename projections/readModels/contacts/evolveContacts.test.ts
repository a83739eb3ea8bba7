import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ALICE, BOB, EventFactory, ReadModelSpec, T0 } from '../testing/index.js';

describe('contacts read model', () => {
  let spec: ReadModelSpec;
  const f = new EventFactory('acc-1');
  const page = { limit: 50, offset: 0 };
  const ALICE_LID = '777000000002@lid';

  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(() => spec.close());
  beforeEach(() => spec.reset());

  it('given nothing, when contact.upserted twice, then the contact shows with its phone', async () => {
    await spec.when(f.account('contact.upserted', 'Contact', { jid: ALICE, name: 'Alice A', notify: 'ali', verifiedName: null, pictureUrl: 'https://pps/1', statusText: 'busy' }));
    const { items, total } = await spec.reads.contacts('acc-1', page);
    assert.equal(total, 1);
    assert.deepEqual(items[0], {
      accountId: 'acc-1',
      jid: ALICE,
      phone: '15550000002',
      lid: null,
      name: 'Alice A',
      notify: 'ali',
      verifiedName: null,
      pictureUrl: 'https://pps/1',
      status: 'busy',
      blocked: false,
    });
  });

  it('given a contact, when contact.updated has only a new push name (twice), then the rest stays; a removed picture goes', async () => {
    await spec.given(f.account('contact.upserted', 'Contact', { jid: ALICE, name: 'Alice A', pictureUrl: 'https://pps/1' }));
    await spec.when(f.account('contact.updated', 'Contact', { jid: ALICE, notify: 'new push name' }));
    let [contact] = (await spec.reads.contacts('acc-1', page)).items;
    assert.equal(contact?.name, 'Alice A');
    assert.equal(contact?.notify, 'new push name');
    await spec.when(f.account('contact.updated', 'Contact', { jid: ALICE, pictureState: 'REMOVED' }));
    [contact] = (await spec.reads.contacts('acc-1', page)).items;
    assert.equal(contact?.pictureUrl, null);
  });

  it('given a contact, when lid.mapping arrives twice, then the contact has its LID and a LID contact its phone', async () => {
    await spec.given(f.account('contact.upserted', 'Contact', { jid: ALICE }), f.account('contact.upserted', 'Contact', { jid: '777000000003@lid' }));
    await spec.when(f.account('lid.mapping', 'LidMapping', { lid: ALICE_LID, pn: ALICE, source: 'LID_MAPPING_UPDATE' }));
    await spec.when(f.account('lid.mapping', 'LidMapping', { lid: '777000000003@lid', pn: BOB, source: 'CONTACT' }));
    const contacts = (await spec.reads.contacts('acc-1', page)).items;
    assert.equal(contacts.find((c) => c.jid === ALICE)?.lid, ALICE_LID);
    assert.equal(contacts.find((c) => c.jid === '777000000003@lid')?.phone, '15550000003');
  });

  it('given a blocklist, when blocked / unblocked / set (each twice), then the list follows and contacts show it', async () => {
    await spec.given(f.account('contact.upserted', 'Contact', { jid: ALICE }));
    const change = (action: string, jids: string[], at: number) => f.account('blocklist.changed', 'BlocklistChanged', { action, jids }, { at, eventId: `bl-${action}-${at}` });
    await spec.when(change('ADD', [ALICE], T0 + 1));
    assert.deepEqual(await spec.reads.blocked('acc-1'), [ALICE]);
    assert.equal((await spec.reads.contacts('acc-1', page)).items[0]?.blocked, true);
    await spec.when(change('SET', [BOB], T0 + 2));
    assert.deepEqual(await spec.reads.blocked('acc-1'), [BOB]);
    await spec.when(change('REMOVE', [BOB], T0 + 3));
    assert.deepEqual(await spec.reads.blocked('acc-1'), []);
    await spec.when(change('ADD', [BOB], T0 + 2));
    assert.deepEqual(await spec.reads.blocked('acc-1'), [], 'an older block arriving late does not undo the newer unblock');
  });

  it('given contacts, when the account is deleted twice, then they are gone', async () => {
    await spec.given(f.account('contact.upserted', 'Contact', { jid: ALICE }), f.account('blocklist.changed', 'BlocklistChanged', { action: 'ADD', jids: [BOB] }));
    await spec.when(f.account('account.deleted', 'AccountDeleted', { deletedBy: 'admin', purgeData: true }));
    assert.equal((await spec.reads.contacts('acc-1', page)).total, 0);
    assert.deepEqual(await spec.reads.blocked('acc-1'), []);
  });
});
