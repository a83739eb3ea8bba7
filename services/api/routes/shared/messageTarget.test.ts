import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageRow } from '../../../../projections/readModels/index.js';
import { targetFromRow } from './messageTarget.js';

const GROUP = '123456789-1234567890@g.us';
const ALICE = '15550001111@s.whatsapp.net';

function row(overrides: Partial<MessageRow>): MessageRow {
  return {
    accountId: 'mybot', chatJid: GROUP, messageId: '3EB0AAAA', fromMe: false, senderJid: ALICE, direction: 'inbound', type: 'text', text: 'hi', caption: null,
    timestamp: 1, status: null, media: null, quotedMessageId: null, mentions: [], reactions: [], edits: [], deleted: false, starred: false, pinned: false, content: null, source: 'LIVE',
    ...overrides,
  };
}

describe('targetFromRow', () => {
  it('an unknown message: fromMe and participant unknown (null)', () => {
    assert.deepEqual(targetFromRow(GROUP, '3EB0AAAA', null), { chatJid: GROUP, messageId: '3EB0AAAA', fromMe: null, participant: null });
  });

  it('a known group message from someone else names its sender', () => {
    assert.deepEqual(targetFromRow(GROUP, '3EB0AAAA', row({})), { chatJid: GROUP, messageId: '3EB0AAAA', fromMe: false, participant: ALICE });
  });

  it('own messages and one-to-one chats need no participant', () => {
    assert.deepEqual(targetFromRow(GROUP, '3EB0AAAA', row({ fromMe: true })), { chatJid: GROUP, messageId: '3EB0AAAA', fromMe: true, participant: null });
    assert.deepEqual(targetFromRow(ALICE, '3EB0AAAA', row({ chatJid: ALICE })), { chatJid: ALICE, messageId: '3EB0AAAA', fromMe: false, participant: null });
  });

  it('a row of another chat with the same id is not taken for the target', () => {
    assert.deepEqual(targetFromRow(ALICE, '3EB0AAAA', row({})), { chatJid: ALICE, messageId: '3EB0AAAA', fromMe: null, participant: null });
  });
});
