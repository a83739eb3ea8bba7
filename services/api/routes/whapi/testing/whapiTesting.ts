import assert from 'node:assert/strict';
import type { z } from 'zod';
import { WaError } from '../../../../shared/index.js';
import type { CommandResultValue } from '../../../ApiServices.js';
import { validateInput, type InputPart } from '../../../http/index.js';
import { roundTripCommand, testCodec } from '../../shared/testing/encodeCommand.js';

export { roundTripCommand };

/** A value as JSON sees it (Avro decoding gives null-prototype objects and fills defaults). */
export function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/**
 * A succeeded `wa.commands.CommandResult` carrying `result` in its `branch`, encoded and decoded
 * through the codec: mappers read exactly what the command bus hands them.
 */
export function decodedResult(type: string, branch: string | null, result: unknown): CommandResultValue {
  const value = {
    commandId: 'cmd-1',
    accountId: 'acc-1',
    type,
    status: 'SUCCEEDED',
    completedAt: 1_730_700_645_123,
    error: null,
    result: branch === null ? null : { [branch]: result },
    eventIds: [],
    durationMs: 12,
    correlationId: 'req-1',
    replayed: false,
  };
  const codec = testCodec();
  return codec.decode<CommandResultValue>(codec.encode('wa.commands.CommandResult', value), 'wa.commands.CommandResult').value;
}

/** The input as the core validates it (the parsed value), failing the test on a 400. */
export function valid<T>(schema: z.ZodType<T>, input: unknown, part: InputPart = 'body'): T {
  return validateInput(schema, input, part);
}

/** The 400 the core answers for this input: the field it names and its message. */
export function rejected(schema: z.ZodType, input: unknown, part: InputPart = 'body'): { field: string | undefined; message: string } {
  try {
    validateInput(schema, input, part);
  } catch (error) {
    assert.ok(error instanceof WaError, 'a validation failure is a WaError');
    assert.equal(error.code, 'INVALID_ARGUMENT');
    return { field: error.field, message: error.message };
  }
  assert.fail(`expected ${JSON.stringify(input)} to be refused`);
}

/** Asserts the input is refused naming `field`. */
export function assertRejects(schema: z.ZodType, input: unknown, field: string, part: InputPart = 'body'): void {
  const { field: named, message } = rejected(schema, input, part);
  assert.equal(named, field, `expected the error to name ${field}, got ${String(named)} (${message})`);
}
