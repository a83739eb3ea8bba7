import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_TYPES, type CommandType } from '../../shared/commands/index.js';
import { decide, type Decision } from './decide.js';
import type { PayloadName } from '../../shared/commands/index.js';
import type { AvroValue } from '../events/index.js';
import { ALICE, NOW, account, makeCommand } from './testing/commandFixtures.js';
import { samplePayloads } from './testing/samples.js';
import { TEST_GROUP_JID, TEST_NEWSLETTER_JID } from './testing/RecordingSocket.js';

const SAMPLES = samplePayloads();
const ALL_TYPES = Object.keys(COMMAND_TYPES) as CommandType[];
const SOCKET_TYPES = ALL_TYPES.filter((type) => COMMAND_TYPES[type].kind === 'socket');
const LIFECYCLE_TYPES = ALL_TYPES.filter((type) => COMMAND_TYPES[type].kind === 'lifecycle');

const sample = (type: CommandType, overrides: Parameters<typeof makeCommand>[3] = {}) => makeCommand(type, SAMPLES[type][0], SAMPLES[type][1], overrides);

function rejected(decision: Decision): { code: string; field: string | null; retriable: boolean; statusCode: number | null } {
  assert.equal(decision.kind, 'reject', JSON.stringify(decision));
  const { error } = decision as Extract<Decision, { kind: 'reject' }>;
  assert.match(error.code, /^[A-Z][A-Z_]*$/);
  assert.ok(error.message.length > 0);
  return { code: error.code, field: error.field, retriable: error.retriable, statusCode: error.statusCode };
}

/** decide() on a connected account for a payload of one type. */
function decideSend(type: CommandType, payloadName: PayloadName, payload: AvroValue): Decision {
  return decide(makeCommand(type, payloadName, payload), account(), NOW);
}

describe('decide', () => {
  describe('deadline', () => {
    it('given a command past its deadline, then it expires, before any other check', () => {
      assert.deepEqual(decide(sample('message.send', { deadline: NOW - 1 }), account('DISCONNECTED', { exists: false }), NOW), { kind: 'expire' });
      assert.deepEqual(decide(makeCommand('no.such.type', 'wa.commands.EndSession', {}, { deadline: NOW - 1 }), account(), NOW), { kind: 'expire' });
    });

    it('given a command exactly at its deadline, then it still runs', () => {
      assert.deepEqual(decide(sample('message.send', { deadline: NOW }), account(), NOW), { kind: 'execute' });
    });
  });

  describe('type and payload', () => {
    it('given an unknown type, then it is rejected UNSUPPORTED naming the field type', () => {
      assert.deepEqual(rejected(decide(makeCommand('message.teleport', 'wa.commands.EndSession', {}), account(), NOW)), {
        code: 'UNSUPPORTED',
        field: 'type',
        retriable: false,
        statusCode: null,
      });
    });

    it('given a payload branch that does not match the type, then it is rejected INVALID_PAYLOAD naming the payload', () => {
      const command = makeCommand('message.send', 'wa.commands.ReactToMessage', SAMPLES['message.react'][1]);
      const error = rejected(decide(command, account(), NOW));
      assert.deepEqual(error, { code: 'INVALID_PAYLOAD', field: 'payload', retriable: false, statusCode: null });
      const decision = decide(command, account(), NOW) as Extract<Decision, { kind: 'reject' }>;
      assert.match(decision.error.message, /wa\.commands\.SendMessage.*wa\.commands\.ReactToMessage/);
    });

    it('given every type with its own sample payload on a connected account, then it executes', () => {
      for (const type of ALL_TYPES) {
        const acc = type === 'account.create' ? account('NOT_STARTED', { exists: false }) : account();
        assert.deepEqual(decide(sample(type), acc, NOW), { kind: 'execute' }, type);
      }
    });
  });

  describe('payload values', () => {
    const cases: [string, CommandType, PayloadName, AvroValue, string][] = [
      ['a recipient that is not a JID', 'message.send', 'wa.commands.SendMessage', { to: '+1 555 0001', content: { 'wa.conversation.TextContent': { text: 'hi' } } }, 'to'],
      ['an empty text', 'message.send', 'wa.commands.SendMessage', { to: ALICE, content: { 'wa.conversation.TextContent': { text: '  ' } } }, 'content.text'],
      ['media not yet stored', 'message.send', 'wa.commands.SendMessage', { to: ALICE, content: { 'wa.conversation.ImageContent': { media: {} } } }, 'content.media.mediaId'],
      ['a media id that is neither a hash nor a URL', 'message.send', 'wa.commands.SendMessage', { to: ALICE, content: { 'wa.conversation.ImageContent': { media: { mediaId: '../etc/passwd' } } } }, 'content.media.mediaId'],
      ['view-once on a text', 'message.send', 'wa.commands.SendMessage', { to: ALICE, viewOnce: true, content: { 'wa.conversation.TextContent': { text: 'hi' } } }, 'viewOnce'],
      ['a mention that is not a person', 'message.send', 'wa.commands.SendMessage', { to: TEST_GROUP_JID, mentions: [TEST_GROUP_JID], content: { 'wa.conversation.TextContent': { text: 'hi' } } }, 'mentions[0]'],
      ['a latitude off the globe', 'message.send', 'wa.commands.SendMessage', { to: ALICE, content: { 'wa.conversation.LocationContent': { latitude: 91, longitude: 0 } } }, 'content.latitude'],
      ['a contact card that is no vCard', 'message.send', 'wa.commands.SendMessage', { to: ALICE, content: { 'wa.conversation.ContactContent': { vcard: 'Alice, 555' } } }, 'content.vcard'],
      ['a poll with one option', 'message.send', 'wa.commands.SendMessage', { to: ALICE, content: { 'wa.conversation.PollCreationContent': { name: 'Lunch?', options: ['yes'] } } }, 'content.options'],
      ['a poll allowing more picks than options', 'message.send', 'wa.commands.SendMessage', { to: ALICE, content: { 'wa.conversation.PollCreationContent': { name: 'Lunch?', options: ['yes', 'no'], selectableCount: 3 } } }, 'content.selectableCount'],
      ['an event without start', 'message.send', 'wa.commands.SendMessage', { to: ALICE, content: { 'wa.conversation.EventContent': { name: 'Launch' } } }, 'content.startTime'],
      ['a quoted message in no valid chat', 'message.send', 'wa.commands.SendMessage', { to: ALICE, quoted: { chatJid: 'nobody', messageId: 'X1Y2Z3' }, content: { 'wa.conversation.TextContent': { text: 'hi' } } }, 'quoted.chatJid'],
      ['a newsletter post to a person', 'newsletter.send', 'wa.commands.SendMessage', { to: ALICE, content: { 'wa.conversation.TextContent': { text: 'hi' } } }, 'to'],
      ['an edit of somebody else\'s message', 'message.edit', 'wa.commands.EditMessage', { target: { chatJid: ALICE, messageId: 'ABCDEF', fromMe: false }, text: 'x' }, 'target.fromMe'],
      ['an edit to empty text', 'message.edit', 'wa.commands.EditMessage', { target: { chatJid: ALICE, messageId: 'ABCDEF', fromMe: true }, text: '' }, 'text'],
      ['a forward to nobody', 'message.forward', 'wa.commands.ForwardMessage', { source: { chatJid: ALICE, messageId: 'ABCDEF' }, to: [] }, 'to'],
      ['a phone with letters', 'contact.check', 'wa.commands.CheckPhones', { phones: ['15550000001', 'call me'] }, 'phones[1]'],
      ['a block of a group', 'contact.block', 'wa.commands.ContactTarget', { jid: TEST_GROUP_JID }, 'jid'],
      ['a group command on a person', 'group.leave', 'wa.commands.GroupTarget', { groupJid: ALICE }, 'groupJid'],
      ['a participant that is a group', 'group.participants.add', 'wa.commands.ChangeGroupParticipants', { groupJid: TEST_GROUP_JID, participants: [TEST_GROUP_JID] }, 'participants[0]'],
      ['a group without a subject', 'group.create', 'wa.commands.CreateGroup', { subject: '' }, 'subject'],
      ['a business category', 'business.profile.update', 'wa.commands.UpdateBusinessProfile', { category: 'Retail' }, 'category'],
      ['a website that is no URL', 'business.profile.update', 'wa.commands.UpdateBusinessProfile', { websites: ['bikes'] }, 'websites[0]'],
      ['a pairing code without phone', 'account.connect', 'wa.commands.ConnectAccount', { method: 'PAIRING_CODE' }, 'phoneNumber'],
      ['a label color out of range', 'label.create', 'wa.commands.CreateLabel', { name: 'VIP', color: 20 }, 'color'],
      ['a story audience that is a newsletter', 'story.post', 'wa.commands.PostStory', { content: { 'wa.conversation.TextContent': { text: 'hi' } }, audienceJids: [TEST_NEWSLETTER_JID] }, 'audienceJids[0]'],
      ['a chat mute of zero seconds', 'chat.mute', 'wa.commands.ModifyChat', { chatJid: ALICE, muteDurationSeconds: 0 }, 'muteDurationSeconds'],
      ['a pin longer than 30 days', 'message.pin', 'wa.commands.PinMessage', { target: { chatJid: ALICE, messageId: 'ABCDEF' }, durationSeconds: 3_000_000 }, 'durationSeconds'],
    ];
    for (const [what, type, payloadName, payload, field] of cases) {
      it(`given ${what}, then it is rejected VALIDATION_FAILED naming ${field}`, () => {
        assert.deepEqual(rejected(decideSend(type, payloadName, payload)), { code: 'VALIDATION_FAILED', field, retriable: false, statusCode: null });
      });
    }

    it('given an invalid payload for a disconnected account, then the payload error wins (retrying cannot fix it)', () => {
      const command = makeCommand('message.send', 'wa.commands.SendMessage', { to: 'x', content: { 'wa.conversation.TextContent': { text: 'hi' } } });
      assert.equal(rejected(decide(command, account('DISCONNECTED'), NOW)).code, 'VALIDATION_FAILED');
    });

    it('given a phone number written with separators, then it is accepted', () => {
      assert.deepEqual(decideSend('contact.check', 'wa.commands.CheckPhones', { phones: ['+49 (30) 1234-5678'] }), { kind: 'execute' });
    });
  });

  describe('account invariants', () => {
    it('given account.create for an id that exists, then it is rejected ACCOUNT_EXISTS', () => {
      assert.equal(rejected(decide(sample('account.create'), account('DISCONNECTED'), NOW)).code, 'ACCOUNT_EXISTS');
    });

    it('given account.create for a new id, then it executes', () => {
      assert.deepEqual(decide(sample('account.create'), account('UNKNOWN', { exists: false, meJid: null }), NOW), { kind: 'execute' });
    });

    it('given any other command for an unknown account, then it is rejected ACCOUNT_NOT_FOUND', () => {
      for (const type of ALL_TYPES.filter((t) => t !== 'account.create')) {
        assert.equal(rejected(decide(sample(type), account('UNKNOWN', { exists: false }), NOW)).code, 'ACCOUNT_NOT_FOUND', type);
      }
    });

    it('given a socket command for a logged-out account, then it is rejected LOGGED_OUT, not retriable', () => {
      for (const type of SOCKET_TYPES) {
        assert.deepEqual(rejected(decide(sample(type), account('LOGGED_OUT'), NOW)), { code: 'LOGGED_OUT', field: null, retriable: false, statusCode: null }, type);
      }
      // The flag alone is enough, whatever the last connection state said.
      assert.equal(rejected(decide(sample('message.send'), account('DISCONNECTED', { loggedOut: true }), NOW)).code, 'LOGGED_OUT');
    });

    it('given a socket command for an account that is not connected, then it is rejected NOT_CONNECTED, retriable', () => {
      for (const state of ['NOT_STARTED', 'CONNECTING', 'QR', 'PAIRING', 'RECONNECTING', 'DISCONNECTED', 'UNKNOWN']) {
        for (const type of SOCKET_TYPES) {
          assert.deepEqual(rejected(decide(sample(type), account(state), NOW)), { code: 'NOT_CONNECTED', field: null, retriable: true, statusCode: null }, `${type} ${state}`);
        }
      }
    });

    it('given a lifecycle command for a logged-out or disconnected account, then it executes (connect re-links)', () => {
      for (const type of LIFECYCLE_TYPES.filter((t) => t !== 'account.create')) {
        assert.deepEqual(decide(sample(type), account('LOGGED_OUT'), NOW), { kind: 'execute' }, type);
        assert.deepEqual(decide(sample(type), account('DISCONNECTED'), NOW), { kind: 'execute' }, type);
      }
    });
  });
});
