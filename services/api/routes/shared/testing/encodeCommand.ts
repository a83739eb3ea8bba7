import { AvroCodec } from '../../../../../schemas/index.js';
import { COMMAND_TYPES, payloadBranch, type CommandPayload, type CommandType, type CommandValue } from '../../../../shared/commands/index.js';

let codec: AvroCodec | undefined;

/** The project's codec, loaded once per test file. */
export function testCodec(): AvroCodec {
  codec ??= AvroCodec.load();
  return codec;
}

/**
 * Encodes a payload as the `wa.commands.Command` the command bus would write and decodes it
 * back: throws when the codec refuses it, and checks the branch is the one the type takes.
 */
export function roundTripCommand(type: CommandType, payload: CommandPayload): CommandPayload {
  const expected = COMMAND_TYPES[type].payload;
  const branch = payloadBranch({ payload });
  if (branch !== expected) throw new Error(`${type} takes a ${expected} payload, not ${branch}`);
  const command: CommandValue = {
    commandId: 'cmd-1',
    accountId: 'acc-1',
    type,
    issuedAt: 1_730_700_645_123,
    deadline: 1_730_700_675_123,
    correlationId: 'req-1',
    idempotencyKey: null,
    requestedBy: 'admin',
    payload,
  };
  const bytes = testCodec().encode('wa.commands.Command', command);
  return testCodec().decode<CommandValue>(bytes, 'wa.commands.Command').value.payload;
}
