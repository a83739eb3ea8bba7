import { AvroCodec } from '../../../../schemas/index.js';
import type { AvroValue } from '../../events/index.js';
import type { AccountView, CommandValue, PayloadName } from '../../../shared/commands/index.js';

export const codec = AvroCodec.load();

/** This account's own JID, as Baileys reports it (with a device suffix). */
export const ME = '15550000000:12@s.whatsapp.net';
export const ME_BARE = '15550000000@s.whatsapp.net';
export const ALICE = '15550000001@s.whatsapp.net';
export const BOB = '15550000002@s.whatsapp.net';
export const NOW = 1_750_000_000_000;

/**
 * A command as a connector decodes it from `wa.commands.v1`: built from `payload` (fields
 * with defaults may be left out) and passed through the codec, so it is a valid record with
 * every default filled in.
 */
export function makeCommand(type: string, payloadName: PayloadName, payload: AvroValue, overrides: Partial<Omit<CommandValue, 'payload'>> = {}): CommandValue {
  const value = {
    commandId: 'cmd-0001',
    accountId: 'acc-1',
    type,
    issuedAt: NOW - 1_000,
    deadline: NOW + 60_000,
    correlationId: 'corr-0001',
    requestedBy: 'admin',
    ...overrides,
    payload: { [payloadName]: payload },
  };
  return codec.decode<CommandValue>(codec.encode('wa.commands.Command', value), 'wa.commands.Command').value;
}

/** An account in a given state. */
export function account(state = 'CONNECTED', overrides: Partial<AccountView> = {}): AccountView {
  return { accountId: 'acc-1', exists: true, state, loggedOut: state === 'LOGGED_OUT', meJid: ME, ...overrides };
}

/** Encodes a SUCCEEDED `wa.commands.CommandResult` carrying `result`; throws when the result does not match the schema. */
export function encodeSucceeded(command: CommandValue, result: AvroValue | null): Buffer {
  return codec.encode('wa.commands.CommandResult', {
    commandId: command.commandId,
    accountId: command.accountId,
    type: command.type,
    status: 'SUCCEEDED',
    completedAt: NOW,
    error: null,
    result,
    eventIds: [],
    durationMs: 5,
    correlationId: command.correlationId,
    replayed: false,
  });
}
