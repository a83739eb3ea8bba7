import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupRow } from '../../../../projections/readModels/index.js';
import {
  createGroupBody,
  createGroupPayload,
  getGroup,
  groupResultBody,
  groupRowToWhapi,
  groupTargetPayload,
  inviteBody,
  participantsBody,
  participantsPayload,
  participantsResultBody,
  updateGroupBody,
  updateGroupPayload,
  whapiGroupSchema,
} from './groups.js';
import { assertRejects, decodedResult, plain, roundTripCommand, valid } from './testing/whapiTesting.js';

const GROUP = '120363012345678901@g.us';
const ALICE = '79991234567@s.whatsapp.net';
const BOB = '79997654321@s.whatsapp.net';

describe('WHAPI groups: body → payload', () => {
  it('create: the name is the subject, members as JIDs, each once', () => {
    const payload = createGroupPayload(valid(createGroupBody, { name: 'My Group', participants: ['79991234567', ALICE, '+7 999 765 43 21'] }));
    assert.deepEqual(payload, { 'wa.commands.CreateGroup': { subject: 'My Group', participants: [ALICE, BOB], description: null } });
    assert.deepEqual(plain(roundTripCommand('group.create', payload)), plain(payload));
  });

  it('update: what is absent stays unchanged', () => {
    const payload = updateGroupPayload(GROUP, valid(updateGroupBody, { description: 'New rules' }));
    assert.deepEqual(payload, {
      'wa.commands.UpdateGroup': {
        groupJid: GROUP,
        subject: null,
        description: 'New rules',
        announce: null,
        restrict: null,
        memberAddMode: null,
        joinApprovalMode: null,
        ephemeralDurationSeconds: null,
      },
    });
    assert.deepEqual(plain(roundTripCommand('group.update', payload)), plain(payload));
  });

  it('participants, leave and invite payloads encode', () => {
    const payload = participantsPayload(GROUP, valid(participantsBody, { participants: ['79991234567', '79991234567'] }).participants);
    assert.deepEqual(payload, { 'wa.commands.ChangeGroupParticipants': { groupJid: GROUP, participants: [ALICE] } });
    for (const type of ['group.participants.add', 'group.participants.remove', 'group.participants.promote', 'group.participants.demote'] as const) {
      assert.deepEqual(plain(roundTripCommand(type, payload)), plain(payload));
    }
    for (const type of ['group.leave', 'group.invite.get', 'group.invite.revoke'] as const) {
      assert.deepEqual(plain(roundTripCommand(type, groupTargetPayload(GROUP))), { 'wa.commands.GroupTarget': { groupJid: GROUP } });
    }
  });

  it('the group id may be the bare number', () => {
    assert.ok(getGroup.params);
    assert.deepEqual(valid(getGroup.params, { id: '120363012345678901' }, 'params'), { id: GROUP });
    assert.deepEqual(valid(getGroup.params, { id: GROUP }, 'params'), { id: GROUP });
  });
});

describe('WHAPI groups: answers', () => {
  it('a group row answers its settings and members', () => {
    const row: GroupRow = {
      accountId: 'ch-1',
      jid: GROUP,
      subject: 'Team',
      description: null,
      owner: ALICE,
      createdAt: 1_730_700_645_000,
      announce: false,
      restrict: true,
      isCommunity: false,
      parentJid: null,
      participants: [
        { jid: ALICE, phone: '79991234567', role: 'superadmin' },
        { jid: BOB, phone: '79997654321', role: 'member' },
      ],
      left: false,
    };
    const body = groupRowToWhapi(row);
    whapiGroupSchema.parse(body);
    assert.deepEqual(body.participants, [
      { id: ALICE, phone: '79991234567', role: 'superadmin' },
      { id: BOB, phone: '79997654321', role: 'member' },
    ]);
    assert.equal(body.name, 'Team');
    assert.equal(body.restrict, true);
  });

  it('a created group answers in the same shape as a read one', () => {
    const result = decodedResult('group.create', 'wa.account.GroupMetadata', {
      id: GROUP,
      subject: 'My Group',
      owner: ALICE,
      creation: 1_730_700_645_000,
      participants: [
        { jid: ALICE, lid: null, phoneNumber: null, role: 'SUPERADMIN', name: null },
        { jid: '123456789012345@lid', lid: '123456789012345@lid', phoneNumber: BOB, role: 'MEMBER', name: null },
      ],
    });
    const body = groupResultBody(result);
    whapiGroupSchema.parse(body);
    assert.deepEqual(body, {
      id: GROUP,
      name: 'My Group',
      description: null,
      owner: ALICE,
      createdAt: 1_730_700_645_000,
      announce: false,
      restrict: false,
      isCommunity: false,
      parentId: null,
      participants: [
        { id: ALICE, phone: '79991234567', role: 'superadmin' },
        { id: '123456789012345@lid', phone: '79997654321', role: 'member' },
      ],
      left: false,
    });
  });

  it('participants changes answer one outcome per member', () => {
    const result = decodedResult('group.participants.add', 'wa.commands.GroupParticipantsResult', {
      groupJid: GROUP,
      results: [
        { jid: ALICE, statusCode: 200, error: null },
        { jid: BOB, statusCode: 403, error: 'an invite is needed' },
      ],
    });
    assert.deepEqual(participantsResultBody(result), {
      groupId: GROUP,
      participants: [
        { id: ALICE, success: true, statusCode: 200, error: null },
        { id: BOB, success: false, statusCode: 403, error: 'an invite is needed' },
      ],
    });
  });

  it('invites answer the code and the link', () => {
    const result = decodedResult('group.invite.get', 'wa.commands.InviteLinkResult', { groupJid: GROUP, code: 'AbCd123', url: 'https://chat.whatsapp.com/AbCd123' });
    assert.deepEqual(inviteBody(result), { groupId: GROUP, code: 'AbCd123', url: 'https://chat.whatsapp.com/AbCd123' });
  });
});

describe('WHAPI groups: validation names the field', () => {
  it('refuses bad names, members and ids', () => {
    assertRejects(createGroupBody, { participants: ['79991234567'] }, 'name');
    assertRejects(createGroupBody, { name: 'x'.repeat(101), participants: ['79991234567'] }, 'name');
    assertRejects(createGroupBody, { name: 'Team' }, 'participants');
    assertRejects(createGroupBody, { name: 'Team', participants: [] }, 'participants');
    assertRejects(createGroupBody, { name: 'Team', participants: [GROUP] }, 'participants.0');
    assertRejects(updateGroupBody, {}, 'body');
    assertRejects(participantsBody, { participants: ['79991234567', 'x'] }, 'participants.1');
    assert.ok(getGroup.params);
    assertRejects(getGroup.params, { id: ALICE }, 'id', 'params');
    assertRejects(getGroup.params, { id: 'my-group' }, 'id', 'params');
  });
});
