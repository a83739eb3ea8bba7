import { WaError } from '../WaError.js';
import type { CommandPayloads, CommandValue, PayloadName } from './CommandValue.js';

/**
 * Who carries a command out: `lifecycle` commands (account invariants, sessions) are executed
 * by the connector runtime; `socket` commands need the account's live WhatsApp socket.
 */
export type CommandKind = 'lifecycle' | 'socket';

interface CommandSpec {
  readonly payload: PayloadName;
  readonly kind: CommandKind;
}

/** The command table of schemas/README.md: each type, its payload record and who executes it. */
export const COMMAND_TYPES = {
  'account.create': { payload: 'wa.commands.CreateAccount', kind: 'lifecycle' },
  'account.update': { payload: 'wa.commands.UpdateAccount', kind: 'lifecycle' },
  'account.delete': { payload: 'wa.commands.DeleteAccount', kind: 'lifecycle' },
  'account.connect': { payload: 'wa.commands.ConnectAccount', kind: 'lifecycle' },
  'account.disconnect': { payload: 'wa.commands.EndSession', kind: 'lifecycle' },
  'account.logout': { payload: 'wa.commands.EndSession', kind: 'lifecycle' },
  'message.send': { payload: 'wa.commands.SendMessage', kind: 'socket' },
  'message.react': { payload: 'wa.commands.ReactToMessage', kind: 'socket' },
  'message.delete': { payload: 'wa.commands.DeleteMessage', kind: 'socket' },
  'message.edit': { payload: 'wa.commands.EditMessage', kind: 'socket' },
  'message.forward': { payload: 'wa.commands.ForwardMessage', kind: 'socket' },
  'message.star': { payload: 'wa.commands.StarMessage', kind: 'socket' },
  'message.unstar': { payload: 'wa.commands.StarMessage', kind: 'socket' },
  'message.pin': { payload: 'wa.commands.PinMessage', kind: 'socket' },
  'message.unpin': { payload: 'wa.commands.PinMessage', kind: 'socket' },
  'chat.archive': { payload: 'wa.commands.ModifyChat', kind: 'socket' },
  'chat.unarchive': { payload: 'wa.commands.ModifyChat', kind: 'socket' },
  'chat.pin': { payload: 'wa.commands.ModifyChat', kind: 'socket' },
  'chat.unpin': { payload: 'wa.commands.ModifyChat', kind: 'socket' },
  'chat.mute': { payload: 'wa.commands.ModifyChat', kind: 'socket' },
  'chat.unmute': { payload: 'wa.commands.ModifyChat', kind: 'socket' },
  'chat.read': { payload: 'wa.commands.ModifyChat', kind: 'socket' },
  'chat.delete': { payload: 'wa.commands.ModifyChat', kind: 'socket' },
  'contact.check': { payload: 'wa.commands.CheckPhones', kind: 'socket' },
  'contact.block': { payload: 'wa.commands.ContactTarget', kind: 'socket' },
  'contact.unblock': { payload: 'wa.commands.ContactTarget', kind: 'socket' },
  'profile.fetch': { payload: 'wa.commands.FetchProfile', kind: 'socket' },
  'profile.update': { payload: 'wa.commands.UpdateProfile', kind: 'socket' },
  'profile.picture.update': { payload: 'wa.commands.UpdateProfilePicture', kind: 'socket' },
  'business.profile.fetch': { payload: 'wa.commands.FetchProfile', kind: 'socket' },
  'business.profile.update': { payload: 'wa.commands.UpdateBusinessProfile', kind: 'socket' },
  'group.create': { payload: 'wa.commands.CreateGroup', kind: 'socket' },
  'group.update': { payload: 'wa.commands.UpdateGroup', kind: 'socket' },
  'group.leave': { payload: 'wa.commands.GroupTarget', kind: 'socket' },
  'group.participants.add': { payload: 'wa.commands.ChangeGroupParticipants', kind: 'socket' },
  'group.participants.remove': { payload: 'wa.commands.ChangeGroupParticipants', kind: 'socket' },
  'group.participants.promote': { payload: 'wa.commands.ChangeGroupParticipants', kind: 'socket' },
  'group.participants.demote': { payload: 'wa.commands.ChangeGroupParticipants', kind: 'socket' },
  'group.invite.get': { payload: 'wa.commands.GroupTarget', kind: 'socket' },
  'group.invite.revoke': { payload: 'wa.commands.GroupTarget', kind: 'socket' },
  'story.post': { payload: 'wa.commands.PostStory', kind: 'socket' },
  'story.delete': { payload: 'wa.commands.DeleteStory', kind: 'socket' },
  'label.create': { payload: 'wa.commands.CreateLabel', kind: 'socket' },
  'label.delete': { payload: 'wa.commands.LabelTarget', kind: 'socket' },
  'label.chat.add': { payload: 'wa.commands.LabelChat', kind: 'socket' },
  'label.chat.remove': { payload: 'wa.commands.LabelChat', kind: 'socket' },
  'newsletter.create': { payload: 'wa.commands.CreateNewsletter', kind: 'socket' },
  'newsletter.send': { payload: 'wa.commands.SendMessage', kind: 'socket' },
} as const satisfies Record<string, CommandSpec>;

export type CommandType = keyof typeof COMMAND_TYPES;

/** The payload record each command type carries. */
export type PayloadOf<T extends CommandType> = CommandPayloads[(typeof COMMAND_TYPES)[T]['payload']];

/** True when `type` is one of the command table's types. */
export function isCommandType(type: string): type is CommandType {
  return Object.hasOwn(COMMAND_TYPES, type);
}

/** The full name of the payload branch a command carries (its only key). */
export function payloadBranch(command: Pick<CommandValue, 'payload'>): string {
  const keys = Object.keys(command.payload ?? {});
  return keys.length === 1 ? keys[0]! : `<${keys.length} branches>`;
}

/** The payload of a command whose type and branch were checked to match. */
export function payloadOf<T extends CommandType>(command: CommandValue, type: T): PayloadOf<T> {
  const name = COMMAND_TYPES[type].payload;
  const value = (command.payload as Record<string, unknown>)[name];
  if (value === undefined || value === null) {
    throw new WaError('INVALID_ARGUMENT', `${type} needs a ${name} payload, got ${payloadBranch(command)}`, {
      field: 'payload',
      details: { commandCode: 'INVALID_PAYLOAD' },
    });
  }
  return value as PayloadOf<T>;
}
