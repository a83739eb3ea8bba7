import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addLabelChat, createLabelBody, createLabelPayload, deleteLabel, labelChatPayload, labelResultBody, labelRowToWhapi, labelTargetPayload } from './labels.js';
import { assertRejects, decodedResult, plain, roundTripCommand, valid } from './testing/whapiTesting.js';

const ALICE = '79991234567@s.whatsapp.net';

describe('WHAPI labels', () => {
  it('payloads encode', () => {
    const create = createLabelPayload(valid(createLabelBody, { name: 'VIP', color: '1' }));
    assert.deepEqual(create, { 'wa.commands.CreateLabel': { name: 'VIP', color: 1 } });
    assert.deepEqual(plain(roundTripCommand('label.create', create)), plain(create));
    assert.deepEqual(createLabelPayload(valid(createLabelBody, { name: 'New' })), { 'wa.commands.CreateLabel': { name: 'New', color: null } });
    assert.deepEqual(plain(roundTripCommand('label.delete', labelTargetPayload('7'))), { 'wa.commands.LabelTarget': { labelId: '7' } });
    for (const type of ['label.chat.add', 'label.chat.remove'] as const) {
      assert.deepEqual(plain(roundTripCommand(type, labelChatPayload('7', ALICE))), { 'wa.commands.LabelChat': { labelId: '7', chatJid: ALICE } });
    }
  });

  it('answers: a row with its chats, a new label with none', () => {
    assert.deepEqual(labelRowToWhapi({ accountId: 'ch-1', labelId: '7', name: 'VIP', color: 1, chats: [ALICE] }), { id: '7', name: 'VIP', color: 1, chats: [ALICE] });
    const result = decodedResult('label.create', 'wa.account.Label', { labelId: '8', name: 'VIP', color: 1, predefinedId: null, deleted: false });
    assert.deepEqual(labelResultBody(result), { id: '8', name: 'VIP', color: 1, chats: [] });
  });

  it('validation names the field', () => {
    assertRejects(createLabelBody, {}, 'name');
    assertRejects(createLabelBody, { name: 'VIP', color: 20 }, 'color');
    assertRejects(createLabelBody, { name: 'VIP', color: 1.5 }, 'color');
    assert.ok(addLabelChat.body && deleteLabel.params);
    assertRejects(addLabelChat.body, {}, 'chatId');
    assertRejects(addLabelChat.body, { chatId: 'someone' }, 'chatId');
    assertRejects(deleteLabel.params, { id: 'a b' }, 'id', 'params');
  });
});
