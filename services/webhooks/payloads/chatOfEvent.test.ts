import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALICE, BOB, GROUP, SAMPLE_CHANNEL } from '../../../projections/readModels/testing/index.js';
import { chatOfEvent, type WebhookEvent } from './index.js';
import { everyWebhookEvent } from './testing/index.js';

const samples = everyWebhookEvent().map((sample) => sample.event);
const withoutEnvelopeChat = (event: WebhookEvent): WebhookEvent => ({ ...event, chatJid: null });
const chatsOf = (type: string, events: WebhookEvent[] = samples): (string | null)[] => events.filter((event) => event.type === type).map(chatOfEvent);

describe('chatOfEvent', () => {
  it('is the envelope chat when the envelope names one', () => {
    for (const event of samples.filter((e) => e.chatJid !== null)) {
      assert.equal(chatOfEvent(event), event.chatJid, event.type);
      assert.equal(chatOfEvent({ ...event, chatJid: 'other@s.whatsapp.net' }), 'other@s.whatsapp.net', `${event.type}: the envelope wins over the data`);
    }
  });

  it('otherwise the chat the data names: conversations, contacts, groups, labels, calls, channels, presence', () => {
    const bare = samples.map(withoutEnvelopeChat);
    const expected: Record<string, string> = {
      'message.received': ALICE,
      'message.status': ALICE,
      'message.reaction': ALICE,
      'message.edited': ALICE,
      'message.starred': ALICE,
      'message.pinned': ALICE,
      'poll.vote': ALICE,
      'message.media': ALICE,
      'message.deleted': ALICE,
      'story.deleted': 'status@broadcast',
      'chat.updated': ALICE,
      'chat.cleared': ALICE,
      'chat.deleted': BOB,
      'contact.upserted': ALICE,
      'contact.updated': ALICE,
      'lid.mapping': ALICE,
      'group.upserted': GROUP,
      'group.updated': GROUP,
      'group.participants': GROUP,
      'group.join_request': GROUP,
      'label.association': ALICE,
      'call.updated': BOB,
      'newsletter.upserted': SAMPLE_CHANNEL,
      'newsletter.updated': SAMPLE_CHANNEL,
      'newsletter.participant': SAMPLE_CHANNEL,
      'newsletter.reaction': SAMPLE_CHANNEL,
      'newsletter.view': SAMPLE_CHANNEL,
      'presence.updated': ALICE,
    };
    for (const [type, chat] of Object.entries(expected)) {
      const chats = chatsOf(type, bare);
      assert.ok(chats.length > 0, `no sample of ${type}`);
      for (const found of chats) assert.equal(found, chat, type);
    }
    assert.deepEqual(chatsOf('presence.self', bare), [null, ALICE], 'a typing indicator is in its chat, online / offline is in none');
  });

  it('is null for events about the account itself', () => {
    const accountWide = ['account.created', 'account.updated', 'account.deleted', 'connection.qr', 'connection.pairing_code', 'connection.state', 'label.upserted', 'label.deleted', 'profile.updated', 'business.profile', 'blocklist.changed', 'history.sync'];
    for (const type of accountWide) {
      const chats = chatsOf(type, samples.map(withoutEnvelopeChat));
      assert.ok(chats.length > 0, `no sample of ${type}`);
      for (const found of chats) assert.equal(found, null, type);
    }
  });

  it('gives every sample a chat or null, never throws', () => {
    for (const event of samples) {
      const chat = chatOfEvent(withoutEnvelopeChat(event));
      assert.ok(chat === null || (typeof chat === 'string' && chat.length > 0), event.type);
    }
  });
});
