import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ALICE, BOB, EventFactory, GROUP, ME, ME_LID, ReadModelSpec, T0 } from '../testing/index.js';

describe('groups read model', () => {
  let spec: ReadModelSpec;
  const f = new EventFactory('acc-1');
  const page = { limit: 50, offset: 0 };
  const participant = (jid: string, role = 'MEMBER') => ({ jid, role });
  const changed = (action: string, jids: string[], at: number) =>
    f.account('group.participants', 'GroupParticipantsChanged', { groupJid: GROUP, action, participants: jids.map((jid) => participant(jid)) }, { at, eventId: `gp-${action}-${at}` });

  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(() => spec.close());
  beforeEach(async () => {
    await spec.reset();
    await spec.given(
      f.account('account.created', 'AccountCreated', { createdBy: 'admin' }, { at: T0 - 10 }),
      f.account('connection.state', 'ConnectionStateChanged', { state: 'CONNECTED', meJid: ME, meLid: ME_LID }, { at: T0 - 5 }),
    );
  });

  it('given nothing, when group.upserted with participants twice, then the group and its roles show', async () => {
    await spec.when(
      f.account(
        'group.upserted',
        'GroupMetadata',
        { id: GROUP, subject: 'Team', description: 'our team', owner: ALICE, creation: T0 - 1000, announce: false, restrict: true, participants: [participant(ALICE, 'SUPERADMIN'), participant(ME, 'ADMIN'), participant(BOB)] },
        { at: T0 },
      ),
    );
    const group = await spec.reads.group('acc-1', GROUP);
    assert.deepEqual(group, {
      accountId: 'acc-1',
      jid: GROUP,
      subject: 'Team',
      description: 'our team',
      owner: ALICE,
      createdAt: T0 - 1000,
      announce: false,
      restrict: true,
      isCommunity: false,
      parentJid: null,
      participants: [
        { jid: ME, phone: '15550000001', role: 'admin' },
        { jid: ALICE, phone: '15550000002', role: 'superadmin' },
        { jid: BOB, phone: '15550000003', role: 'member' },
      ],
      left: false,
    });
    assert.equal((await spec.reads.groups('acc-1', page)).total, 1);
  });

  it('given a group, when participants are added, promoted, demoted and removed (each twice), then the list follows', async () => {
    await spec.given(f.account('group.upserted', 'GroupMetadata', { id: GROUP, subject: 'Team', participants: [participant(ME, 'ADMIN')] }, { at: T0 }));
    await spec.when(changed('ADD', [ALICE, BOB], T0 + 1));
    await spec.when(changed('PROMOTE', [ALICE], T0 + 2));
    let roles = (await spec.reads.group('acc-1', GROUP))?.participants.map((p) => [p.jid, p.role]);
    assert.deepEqual(roles, [[ME, 'admin'], [ALICE, 'admin'], [BOB, 'member']]);
    await spec.when(changed('DEMOTE', [ALICE], T0 + 3));
    await spec.when(changed('REMOVE', [BOB], T0 + 4));
    await spec.when(changed('ADD', [BOB], T0 + 1));
    roles = (await spec.reads.group('acc-1', GROUP))?.participants.map((p) => [p.jid, p.role]);
    assert.deepEqual(roles, [[ME, 'admin'], [ALICE, 'member']], 'an older add arriving late does not bring Bob back');
  });

  it('given a group, when the account itself is removed (twice), then the group shows as left; re-added, not', async () => {
    await spec.given(f.account('group.upserted', 'GroupMetadata', { id: GROUP, subject: 'Team', participants: [participant(ME), participant(ALICE)] }, { at: T0 }));
    await spec.when(changed('REMOVE', [ME], T0 + 1));
    assert.equal((await spec.reads.group('acc-1', GROUP))?.left, true);
    await spec.when(changed('ADD', [ME_LID], T0 + 2));
    assert.equal((await spec.reads.group('acc-1', GROUP))?.left, false);
  });

  it('given a metadata fetch with a full list, when a later fetch drops someone, then they are gone', async () => {
    await spec.given(f.account('group.upserted', 'GroupMetadata', { id: GROUP, participants: [participant(ME), participant(ALICE), participant(BOB)] }, { at: T0 }));
    await spec.when(f.account('group.updated', 'GroupMetadata', { id: GROUP, subject: 'Renamed', participants: [participant(ME), participant(ALICE)] }, { at: T0 + 1 }));
    const group = await spec.reads.group('acc-1', GROUP);
    assert.equal(group?.subject, 'Renamed');
    assert.deepEqual(group?.participants.map((p) => p.jid), [ME, ALICE]);
  });

  it('lists communities with their sub-groups pointing at them', async () => {
    const COMMUNITY = '120363000000000009@g.us';
    await spec.given(
      f.account('group.upserted', 'GroupMetadata', { id: COMMUNITY, subject: 'Neighbours', isCommunity: true }, { at: T0 }),
      f.account('group.upserted', 'GroupMetadata', { id: GROUP, subject: 'Street', linkedParent: COMMUNITY }, { at: T0 }),
    );
    const communities = await spec.reads.communities('acc-1');
    assert.deepEqual(communities.map((c) => c.jid), [COMMUNITY]);
    assert.equal((await spec.reads.group('acc-1', GROUP))?.parentJid, COMMUNITY);
  });

  it('ignores a join request and a call, and forgets groups when the account is deleted', async () => {
    await spec.given(f.account('group.upserted', 'GroupMetadata', { id: GROUP, participants: [participant(ME)] }, { at: T0 }));
    await spec.when(f.account('group.join_request', 'GroupJoinRequest', { groupJid: GROUP, participantJid: BOB, action: 'CREATED', method: 'INVITE_LINK' }));
    await spec.when(f.account('call.updated', 'Call', { callId: 'c1', fromJid: BOB, chatJid: BOB, isVideo: false, isGroup: false, status: 'OFFER', offline: false }));
    await spec.when(f.account('account.deleted', 'AccountDeleted', { deletedBy: 'admin', purgeData: true }));
    assert.equal(await spec.reads.group('acc-1', GROUP), null);
  });
});

describe('groups read model, odd input', () => {
  it('given a participant listed twice in one change, then it is stored once', async () => {
    const spec = await ReadModelSpec.start();
    try {
      const f = new EventFactory('acc-1');
      await spec.when(f.account('group.upserted', 'GroupMetadata', { id: GROUP, participants: [{ jid: ALICE, role: 'MEMBER' }, { jid: ALICE, role: 'ADMIN' }] }));
      await spec.when(f.account('blocklist.changed', 'BlocklistChanged', { action: 'ADD', jids: [BOB, BOB] }));
      assert.deepEqual((await spec.reads.group('acc-1', GROUP))?.participants, [{ jid: ALICE, phone: '15550000002', role: 'admin' }]);
      assert.deepEqual(await spec.reads.blocked('acc-1'), [BOB]);
    } finally {
      await spec.close();
    }
  });
});
