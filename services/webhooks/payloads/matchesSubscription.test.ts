import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCOUNT_EVENT_TYPES, CONVERSATION_EVENT_TYPES } from '../../../projections/events/index.js';
import { matchesSubscription, PRESENCE_EVENT_TYPES } from './index.js';

const EVERY_TYPE = [...CONVERSATION_EVENT_TYPES, ...ACCOUNT_EVENT_TYPES, ...PRESENCE_EVENT_TYPES];

describe('matchesSubscription', () => {
  it('an empty list asks for every event type', () => {
    for (const type of EVERY_TYPE) assert.equal(matchesSubscription(type, []), true, type);
  });

  it('a name asks for exactly that type', () => {
    for (const type of EVERY_TYPE) assert.equal(matchesSubscription(type, [type]), true, type);
    assert.equal(matchesSubscription('message.received', ['message.sent']), false);
    assert.equal(matchesSubscription('message.received', ['message']), false, 'a name is no prefix');
    assert.equal(matchesSubscription('message.received', ['message.received.x']), false);
    assert.equal(matchesSubscription('message.received', ['MESSAGE.RECEIVED']), false, 'names are exact');
  });

  it('a trailing .* asks for every type under the prefix', () => {
    const messages = EVERY_TYPE.filter((type) => matchesSubscription(type, ['message.*']));
    assert.deepEqual(messages, EVERY_TYPE.filter((type) => type.startsWith('message.')));
    assert.ok(messages.includes('message.received') && messages.includes('message.status') && messages.includes('message.unpinned'));
    assert.deepEqual(EVERY_TYPE.filter((type) => matchesSubscription(type, ['story.*'])), ['story.received', 'story.posted', 'story.deleted']);
    assert.deepEqual(EVERY_TYPE.filter((type) => matchesSubscription(type, ['presence.*'])), ['presence.updated', 'presence.self']);
    assert.equal(matchesSubscription('message', ['message.*']), false, 'the prefix alone is not under it');
    assert.equal(matchesSubscription('messages.upsert', ['message.*']), false, 'the dot is part of the prefix');
    assert.equal(matchesSubscription('chat.updated', ['message.*']), false);
  });

  it('a * anywhere but at the end is a literal character', () => {
    assert.equal(matchesSubscription('message.received', ['*.received']), false);
    assert.equal(matchesSubscription('message.received', ['message*']), false);
    assert.equal(matchesSubscription('message.received', ['*']), false);
  });

  it('any entry of the list may match', () => {
    assert.equal(matchesSubscription('chat.updated', ['message.received', 'chat.*']), true);
    assert.equal(matchesSubscription('group.participants', ['message.received', 'chat.*']), false);
  });
});
