import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { proto } from '@whiskeysockets/baileys';
import type { Delivery, GroupMetadataWire } from '../../../simulator/index.js';
import { groupBatch, messagesBatch, receiptsBatch, toBaileysBatch } from './toBaileysEvents.js';

const ME = '15550000001@s.whatsapp.net';
const PHONE = '15550000002@s.whatsapp.net';
const GROUP = '120363000000000001@g.us';

function encoded(message: proto.IMessage): string {
  return Buffer.from(proto.Message.encode(proto.Message.fromObject(message)).finish()).toString('base64');
}

function inbound(messageId: string, message: proto.IMessage, firstContact: boolean): Extract<Delivery['body'], { kind: 'message' }> {
  return { kind: 'message', messageId, chatJid: PHONE, participant: null, pushName: 'Jane', timestamp: 1_700_000_000, message: encoded(message), firstContact };
}

describe('messagesBatch', () => {
  it('given two messages of a new chat in one batch, then one chats.upsert counts both and the contact is upserted', () => {
    const batch = messagesBatch([inbound('A', { conversation: 'one' }, true), inbound('B', { conversation: 'two' }, false)], ME);
    assert.equal(batch['messages.upsert']?.messages.length, 2);
    assert.equal(batch['chats.upsert']?.length, 1);
    assert.equal(batch['chats.upsert']?.[0]?.unreadCount, 2);
    assert.equal(batch['chats.update'], undefined);
    assert.deepEqual(batch['contacts.upsert'], [{ id: PHONE, notify: 'Jane' }]);
  });

  it("given a reaction to one of our messages, then messages.reaction names our key (Baileys' normaliseKey)", () => {
    // From the sender's side: the chat is us, and the message is not theirs.
    const reaction = { reactionMessage: { text: '❤', key: { remoteJid: ME, fromMe: false, id: 'OURS' } } };
    const batch = messagesBatch([inbound('R', reaction, false)], ME);
    const [event] = batch['messages.reaction']!;
    assert.deepEqual([event!.key.id, event!.key.remoteJid, event!.key.fromMe], ['OURS', PHONE, true]);
    assert.equal(event!.reaction.key?.id, 'R');
    assert.equal(batch['chats.update'], undefined, 'a reaction is not a real message for the chat');
  });

  it('given a revoke, then messages.update clears the target, as processMessage does', () => {
    const revoke = { protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE, key: { remoteJid: PHONE, id: 'GONE', fromMe: true } } };
    const batch = messagesBatch([inbound('X', revoke, false)], ME);
    assert.deepEqual(batch['messages.update']?.map((u) => [u.key.id, u.update.message, u.update.messageStubType]), [['GONE', null, proto.WebMessageInfo.StubType.REVOKE]]);
  });
});

describe('receiptsBatch', () => {
  it('given 1:1 and group receipts, then messages.update and message-receipt.update as Baileys emits them', () => {
    const batch = receiptsBatch([
      { kind: 'receipt', chatJid: PHONE, messageIds: ['M1'], participant: null, status: 'delivered', timestamp: 5 },
      { kind: 'receipt', chatJid: GROUP, messageIds: ['M2'], participant: PHONE, status: 'read', timestamp: 6 },
    ]);
    assert.deepEqual(batch['messages.update'], [{ key: { remoteJid: PHONE, id: 'M1', fromMe: true }, update: { status: proto.WebMessageInfo.Status.DELIVERY_ACK, messageTimestamp: 5 } }]);
    assert.deepEqual(batch['message-receipt.update'], [{ key: { remoteJid: GROUP, id: 'M2', fromMe: true, participant: PHONE }, receipt: { userJid: PHONE, readTimestamp: 6 } }]);
  });
});

describe('groupBatch', () => {
  const metadata: GroupMetadataWire = {
    id: GROUP,
    subject: 'Team',
    subjectOwner: ME,
    subjectTime: 1,
    creation: 1,
    owner: ME,
    desc: null,
    descId: null,
    descOwner: null,
    descTime: null,
    restrict: false,
    announce: false,
    memberAddMode: false,
    joinApprovalMode: false,
    ephemeralDuration: null,
    participants: [{ jid: ME, admin: 'superadmin' }],
  };

  it('given a participant removing only themselves, then the stub is GROUP_PARTICIPANT_LEAVE and the event action is remove', () => {
    const batch = groupBatch(
      { kind: 'group', notificationId: 'N1', groupJid: GROUP, author: PHONE, timestamp: 9, change: { action: 'remove', participants: [{ jid: PHONE, admin: null }] } },
      ME,
    );
    assert.equal(batch['messages.upsert']?.messages[0]?.messageStubType, proto.WebMessageInfo.StubType.GROUP_PARTICIPANT_LEAVE);
    assert.equal(batch['messages.upsert']?.type, 'append');
    assert.deepEqual(batch['group-participants.update'], { id: GROUP, author: PHONE, participants: [{ id: PHONE, admin: null }], action: 'remove' });
  });

  it('given a create by us, then chats.upsert, groups.upsert and a fromMe GROUP_CREATE stub', () => {
    const batch = toBaileysBatch([{ id: '1', body: { kind: 'group', notificationId: 'N2', groupJid: GROUP, author: ME, timestamp: 9, change: { action: 'create', metadata } } }], { id: ME });
    assert.deepEqual(batch['chats.upsert'], [{ id: GROUP, name: 'Team', conversationTimestamp: 1 }]);
    assert.equal(batch['groups.upsert']?.[0]?.participants[0]?.admin, 'superadmin');
    const stub = batch['messages.upsert']!.messages[0]!;
    assert.ok(stub instanceof proto.WebMessageInfo);
    assert.equal(stub.key.fromMe, true);
    assert.deepEqual(stub.messageStubParameters, ['Team']);
  });
});
