import type { AvroValue } from '../../events/index.js';
import type { CommandType } from '../../../shared/commands/index.js';
import type { PayloadName } from '../../../shared/commands/index.js';
import { ALICE, BOB } from './commandFixtures.js';
import { TEST_GROUP_JID, TEST_NEWSLETTER_JID } from './RecordingSocket.js';

export const SAMPLE_MEDIA_ID = 'a'.repeat(64);
const target = { chatJid: ALICE, messageId: '3EB0AAAAAAAAAAAAAAAAAA', fromMe: false };
const ownTarget = { chatJid: ALICE, messageId: '3EB0BBBBBBBBBBBBBBBBBB', fromMe: true };

/** A valid payload for every command type (media by `mediaId`). */
export function samplePayloads(mediaId = SAMPLE_MEDIA_ID): Record<CommandType, [PayloadName, AvroValue]> {
  return {
    'account.create': ['wa.commands.CreateAccount', { name: 'Support' }],
    'account.update': ['wa.commands.UpdateAccount', { name: 'Sales' }],
    'account.delete': ['wa.commands.DeleteAccount', {}],
    'account.connect': ['wa.commands.ConnectAccount', { method: 'QR' }],
    'account.disconnect': ['wa.commands.EndSession', {}],
    'account.logout': ['wa.commands.EndSession', { reason: 'user asked' }],
    'message.send': ['wa.commands.SendMessage', { to: ALICE, content: { 'wa.conversation.TextContent': { text: 'hello' } } }],
    'newsletter.send': ['wa.commands.SendMessage', { to: TEST_NEWSLETTER_JID, content: { 'wa.conversation.TextContent': { text: 'news' } } }],
    'message.react': ['wa.commands.ReactToMessage', { target, emoji: '👍' }],
    'message.delete': ['wa.commands.DeleteMessage', { target: ownTarget }],
    'message.edit': ['wa.commands.EditMessage', { target: ownTarget, text: 'fixed typo' }],
    'message.forward': ['wa.commands.ForwardMessage', { source: target, to: [BOB] }],
    'message.star': ['wa.commands.StarMessage', { target }],
    'message.unstar': ['wa.commands.StarMessage', { target }],
    'message.pin': ['wa.commands.PinMessage', { target, durationSeconds: 3_600 }],
    'message.unpin': ['wa.commands.PinMessage', { target }],
    'chat.archive': ['wa.commands.ModifyChat', { chatJid: ALICE }],
    'chat.unarchive': ['wa.commands.ModifyChat', { chatJid: ALICE }],
    'chat.pin': ['wa.commands.ModifyChat', { chatJid: ALICE }],
    'chat.unpin': ['wa.commands.ModifyChat', { chatJid: ALICE }],
    'chat.mute': ['wa.commands.ModifyChat', { chatJid: ALICE, muteDurationSeconds: 28_800 }],
    'chat.unmute': ['wa.commands.ModifyChat', { chatJid: ALICE }],
    'chat.read': ['wa.commands.ModifyChat', { chatJid: ALICE }],
    'chat.delete': ['wa.commands.ModifyChat', { chatJid: ALICE }],
    'contact.check': ['wa.commands.CheckPhones', { phones: ['+1 555 000 0001', '0001234567'] }],
    'contact.block': ['wa.commands.ContactTarget', { jid: BOB }],
    'contact.unblock': ['wa.commands.ContactTarget', { jid: BOB }],
    'profile.fetch': ['wa.commands.FetchProfile', { jid: ALICE }],
    'profile.update': ['wa.commands.UpdateProfile', { name: 'Support Team', statusText: 'Mon-Fri 9-17' }],
    'profile.picture.update': ['wa.commands.UpdateProfilePicture', { mediaId }],
    'business.profile.fetch': ['wa.commands.FetchProfile', {}],
    'business.profile.update': ['wa.commands.UpdateBusinessProfile', { description: 'Bikes', websites: ['https://bikes.example.com'] }],
    'group.create': ['wa.commands.CreateGroup', { subject: 'Team', participants: [ALICE, BOB], description: 'Our team' }],
    'group.update': ['wa.commands.UpdateGroup', { groupJid: TEST_GROUP_JID, subject: 'New name' }],
    'group.leave': ['wa.commands.GroupTarget', { groupJid: TEST_GROUP_JID }],
    'group.participants.add': ['wa.commands.ChangeGroupParticipants', { groupJid: TEST_GROUP_JID, participants: [ALICE] }],
    'group.participants.remove': ['wa.commands.ChangeGroupParticipants', { groupJid: TEST_GROUP_JID, participants: [ALICE] }],
    'group.participants.promote': ['wa.commands.ChangeGroupParticipants', { groupJid: TEST_GROUP_JID, participants: [ALICE] }],
    'group.participants.demote': ['wa.commands.ChangeGroupParticipants', { groupJid: TEST_GROUP_JID, participants: [ALICE] }],
    'group.invite.get': ['wa.commands.GroupTarget', { groupJid: TEST_GROUP_JID }],
    'group.invite.revoke': ['wa.commands.GroupTarget', { groupJid: TEST_GROUP_JID }],
    'story.post': ['wa.commands.PostStory', { content: { 'wa.conversation.TextContent': { text: 'Open today', backgroundArgb: 0xff25d366, font: 2 } }, audienceJids: [ALICE, BOB] }],
    'story.delete': ['wa.commands.DeleteStory', { storyId: '3EB0CCCCCCCCCCCCCCCCCC', audienceJids: [ALICE] }],
    'label.create': ['wa.commands.CreateLabel', { name: 'VIP', color: 3 }],
    'label.delete': ['wa.commands.LabelTarget', { labelId: '7' }],
    'label.chat.add': ['wa.commands.LabelChat', { labelId: '7', chatJid: ALICE }],
    'label.chat.remove': ['wa.commands.LabelChat', { labelId: '7', chatJid: ALICE }],
    'newsletter.create': ['wa.commands.CreateNewsletter', { name: 'Bike news', description: 'Weekly' }],
  };
}

