import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import type { ChatRow, MessageRow } from '../../../../projections/readModels/index.js';
import { MESSAGE_CHAT } from '../../../shared/commands/index.js';
import { chatActionBody, chatActionSchema, lastMessageKey, modifyChatPayload, muteChat, type ChatCommand } from './chats.js';
import { assertRejects, plain, roundTripCommand, valid } from './testing/whapiTesting.js';
import { jidField } from './whapiFields.js';

const GROUP = '120363012345678901@g.us';
const NOW = Date.parse('2025-11-08T12:00:00.000Z');

function chat(overrides: Partial<ChatRow> = {}): ChatRow {
  return {
    accountId: 'ch-1',
    chatJid: GROUP,
    kind: 'group',
    name: 'Team',
    unreadCount: 2,
    lastMessageId: '3EB0LAST',
    lastMessageAt: NOW - 60_000,
    archived: false,
    pinned: false,
    mutedUntil: null,
    labels: [],
    ephemeralSeconds: null,
    ...overrides,
  };
}

function message(overrides: Partial<MessageRow> = {}): MessageRow {
  return {
    accountId: 'ch-1',
    chatJid: GROUP,
    messageId: '3EB0LAST',
    fromMe: false,
    senderJid: '79991234567@s.whatsapp.net',
    direction: 'inbound',
    type: 'text',
    text: 'hi',
    caption: null,
    timestamp: NOW - 60_000,
    status: null,
    media: null,
    quotedMessageId: null,
    mentions: [],
    reactions: [],
    edits: [],
    deleted: false,
    starred: false,
    pinned: false,
    content: null,
    source: 'LIVE',
    ...overrides,
  };
}

const COMMANDS: ChatCommand[] = ['chat.archive', 'chat.unarchive', 'chat.pin', 'chat.unpin', 'chat.mute', 'chat.unmute', 'chat.read', 'chat.delete'];

describe('WHAPI chat commands', () => {
  it('name the chat’s latest message the way WhatsApp keys it (the sender in groups)', () => {
    const last = lastMessageKey(chat(), message());
    assert.deepEqual(last?.key, {
      remoteJid: GROUP,
      id: '3EB0LAST',
      fromMe: false,
      participant: '79991234567@s.whatsapp.net',
      remoteJidAlt: null,
      participantAlt: null,
      addressingMode: 'UNKNOWN',
      serverId: null,
    });
    assert.equal(last?.at, NOW - 60_000);
    assert.equal(lastMessageKey(chat(), message({ fromMe: true }))?.key.participant, null);
  });

  it('leave the latest message out when the read model does not know it', () => {
    assert.equal(lastMessageKey(null, null), null);
    assert.equal(lastMessageKey(chat({ lastMessageId: null }), null), null);
    assert.equal(lastMessageKey(chat(), message({ messageId: 'OTHER' })), null);
  });

  it('encode as ModifyChat for every chat command, with and without the latest message', () => {
    const last = lastMessageKey(chat(), message());
    for (const type of COMMANDS) {
      for (const payload of [modifyChatPayload(GROUP, type === 'chat.mute' ? 86_400 : null, last), modifyChatPayload(GROUP, null, null)]) {
        assert.deepEqual(plain(roundTripCommand(type, payload)), plain(payload), type);
      }
    }
    assert.deepEqual(modifyChatPayload(GROUP, 3_600, null), { 'wa.commands.ModifyChat': { chatJid: GROUP, muteDurationSeconds: 3_600, lastMessageKey: null, lastMessageAt: null } });
  });

  it('answer the chat’s new state; a mute ends after its duration, or never', () => {
    for (const type of COMMANDS) chatActionSchema.parse(chatActionBody(type, GROUP, null, NOW));
    assert.deepEqual(chatActionBody('chat.archive', GROUP, null, NOW), { chatId: GROUP, archived: true });
    assert.deepEqual(chatActionBody('chat.unpin', GROUP, null, NOW), { chatId: GROUP, pinned: false });
    assert.deepEqual(chatActionBody('chat.mute', GROUP, 86_400, NOW), { chatId: GROUP, muted: true, mutedUntil: NOW + 86_400_000 });
    assert.deepEqual(chatActionBody('chat.mute', GROUP, null, NOW), { chatId: GROUP, muted: true, mutedUntil: null });
    assert.deepEqual(chatActionBody('chat.delete', GROUP, null, NOW), { chatId: GROUP, deleted: true });
  });

  it('validate the chat id and the mute duration', () => {
    const params = z.object({ id: jidField(MESSAGE_CHAT, 'id') });
    assert.deepEqual(valid(params, { id: '79991234567' }, 'params'), { id: '79991234567@s.whatsapp.net' });
    assertRejects(params, { id: 'team' }, 'id', 'params');
    assert.ok(muteChat.body);
    assertRejects(muteChat.body, { duration: 0 }, 'duration');
    assertRejects(muteChat.body, { duration: 'forever' }, 'duration');
    assert.deepEqual(valid(muteChat.body, { duration: '3600' }), { duration: 3600 });
  });
});
