import type { z } from 'zod';
import type { CommandPayload, CommandType } from '../../../shared/commands/index.js';
import type { ApiServices, CommandResultValue } from '../../ApiServices.js';
import type { ResponseSpec, RouteRequest, RouteResult } from '../../http/route.js';
import { ACCEPTED, commandRequest, documentedOutcome, responses, type DocumentedErrors } from '../shared/index.js';

/** Command errors in the WHAPI document's words: a channel, not an account. */
export const WHAPI_ERRORS: DocumentedErrors = {
  ACCOUNT_NOT_FOUND: { message: 'Channel not found' },
};

/** What a command needs of the request it serves. */
export type CommandContext = Pick<RouteRequest<unknown, unknown, unknown>, 'accountId' | 'principal' | 'requestId' | 'idempotencyKey' | 'signal'>;

/**
 * Sends one command for the request and answers with `onSuccess`, a 202 when the API's wait ran
 * out, or the error the command ended in (in the document's words).
 */
export async function whapiCommand(
  request: CommandContext,
  services: ApiServices,
  type: CommandType,
  payload: CommandPayload,
  onSuccess: (result: CommandResultValue) => RouteResult,
): Promise<RouteResult> {
  const answer = await services.commands.send(commandRequest(request, type, payload));
  return documentedOutcome(answer, onSuccess, WHAPI_ERRORS);
}

/** `{ success: true, data }`. */
export function dataAnswer(data: unknown): RouteResult {
  return { kind: 'json', body: data };
}

/**
 * The documented responses of a command route: its success (and 202 while it runs), and the
 * errors any command can end in, plus the route's own. `spread`: the success fields sit beside
 * `success` (sends, and the answers the document shows bare).
 */
export function commandResponses(
  success: string,
  schema: z.ZodType | undefined,
  errors: Readonly<Record<number, string>> = {},
  layout: 'data' | 'spread' = 'data',
): Readonly<Record<number, ResponseSpec>> {
  return responses(
    { 200: { description: success, layout, ...(schema === undefined ? {} : { schema }) }, ...ACCEPTED },
    {
      400: 'Missing or invalid field (the error names it)',
      404: 'Channel not found, or what the request names is unknown to WhatsApp',
      409: 'Channel not connected or logged out',
      502: 'WhatsApp refused the request',
      ...errors,
    },
  );
}

/** The documented responses of a read route. */
export function readResponses(success: string, schema: z.ZodType, errors: Readonly<Record<number, string>> = {}): Readonly<Record<number, ResponseSpec>> {
  return responses({ 200: { description: success, schema } }, { 400: 'Invalid field (the error names it)', 404: 'Channel not found', ...errors });
}
