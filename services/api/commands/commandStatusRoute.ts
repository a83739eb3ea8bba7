import { z } from 'zod';
import { WaError } from '../../shared/index.js';
import type { CommandResultValue } from '../ApiServices.js';
import { toJsonValue } from '../../shared/index.js';
import { defineRoute, type Principal } from '../http/route.js';

const COMMAND_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const commandError = z.object({
  code: z.string().describe('UPPER_SNAKE error code, e.g. NOT_CONNECTED'),
  message: z.string(),
  retriable: z.boolean(),
  field: z.string().nullable().describe('The input field the error is about'),
});

/** What `GET /commands/:commandId` answers for a finished command. */
export const commandStatusSchema = z.object({
  commandId: z.string(),
  accountId: z.string(),
  type: z.string().describe('The command type, e.g. message.send'),
  status: z.enum(['succeeded', 'failed', 'rejected', 'expired']),
  completedAt: z.number().int().describe('When it finished, epoch milliseconds'),
  error: commandError.nullable(),
  result: z.record(z.string(), z.unknown()).nullable().describe('The result record by its schema name, e.g. {"wa.commands.MessageSentResult": {...}}; bytes as base64'),
});

/** What it answers while the command runs. */
export const commandPendingSchema = z.object({
  commandId: z.string(),
  status: z.literal('pending'),
});

export type CommandStatusBody = z.infer<typeof commandStatusSchema>;

/** A command result as the API shows it. */
export function commandStatusBody(result: CommandResultValue): CommandStatusBody {
  return {
    commandId: result.commandId,
    accountId: result.accountId,
    type: result.type,
    status: result.status.toLowerCase() as CommandStatusBody['status'],
    completedAt: result.completedAt,
    error: result.error === null ? null : { code: result.error.code, message: result.error.message, retriable: result.error.retriable, field: result.error.field },
    result: result.result === null ? null : (toJsonValue(result.result) as Record<string, unknown>),
  };
}

/** Who may read a command: any valid key; a finished command's account must be the key's own unless admin. */
export function authorizeCommand(principal: Principal, accountId: string | null): void {
  switch (principal.kind) {
    case 'admin':
      return;
    case 'account':
      if (accountId !== null && accountId !== principal.accountId) throw new WaError('FORBIDDEN', 'this command belongs to another account');
      return;
    case 'anonymous':
      throw new WaError('UNAUTHORIZED', 'an API key is required (X-API-Key or Authorization: Bearer)');
    default: {
      const never: never = principal;
      throw new WaError('INTERNAL', `unknown principal ${String(never)}`);
    }
  }
}

/**
 * `GET /commands/:commandId`: where a `202 Accepted` points. A finished command's outcome, or
 * 202 `pending` while it runs, or 404. Any key may call it (`key` access); the handler lets
 * the admin key and a key of the command's account read a result, as the account is known
 * only from the result. A pending
 * command's account is not known here, but its id is unguessable (a UUID, or a hash over the
 * client's own key).
 */
export const commandStatusRoute = defineRoute({
  method: 'GET',
  path: '/commands/:commandId',
  surface: 'system',
  operationId: 'getCommand',
  summary: 'Status and result of a command (where a 202 Accepted points)',
  tags: ['Commands'],
  access: 'key',
  params: z.object({ commandId: z.string().regex(COMMAND_ID, { error: 'not a command id' }) }),
  responses: {
    200: { description: 'The command finished', schema: commandStatusSchema },
    202: { description: 'The command is still running; ask again', schema: commandPendingSchema },
    400: { description: 'Invalid command id' },
    401: { description: 'No or unknown API key' },
    403: { description: 'The command belongs to another account' },
    404: { description: 'No such command (or its result is past retention)' },
  },
  handler: async (request, services) => {
    authorizeCommand(request.principal, null);
    const { commandId } = request.params;
    const status = await services.commands.status(commandId);
    if (status === null) throw new WaError('NOT_FOUND', `command ${commandId} is not known`, { field: 'commandId' });
    if (status === 'pending') {
      return { kind: 'json', status: 202, body: { commandId, status: 'pending' }, headers: { 'Retry-After': '1' } };
    }
    authorizeCommand(request.principal, status.accountId);
    return { kind: 'json', body: commandStatusBody(status) };
  },
});
