import { z } from 'zod';
import { WaError } from '../../../shared/index.js';
import type { ApiServices } from '../../ApiServices.js';
import { resultBranch } from '../../http/commandOutcome.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import {
  ACCEPTED,
  accountIdSchema,
  accountResultToRow,
  accountRowToWildcat,
  accountStatusOf,
  commandRequest,
  connectPayload,
  connectResultOf,
  deleteAccountPayload,
  documentedOutcome,
  endSessionPayload,
  responses,
  wildcatAccountSchema,
  wildcatStatus,
  WILDCAT_STATUSES,
  type AccountResultValue,
} from '../shared/index.js';
import { printQr } from './printQr.js';
import { ACCOUNT_ERRORS } from './wildcatErrors.js';
import { createAccountBody, createAccountPayload } from './wildcatRequests.js';

const TAGS = ['Accounts'] as const;
const accountParams = z.object({ accountId: accountIdSchema });
const messageBody = z.object({ message: z.string() });

/** `POST /accounts`: creates an account and starts linking it (QR in the terminal). */
export const createAccount = defineRoute({
  method: 'POST',
  path: '/accounts',
  surface: 'wildcat',
  operationId: 'wildcatCreateAccount',
  summary: 'Create a WhatsApp account (its QR code is printed in the server terminal)',
  tags: TAGS,
  access: 'admin',
  body: createAccountBody,
  responses: responses(
    { 201: { description: 'Created', schema: z.object({ account: wildcatAccountSchema }) }, ...ACCEPTED },
    { 400: 'id is required / Account already exists / invalid id' },
  ),
  handler: async (request, services) => {
    const accountId = request.body.id;
    const answer = await services.commands.send(commandRequest(request, 'account.create', createAccountPayload(request.body), { accountId }));
    return documentedOutcome(
      answer,
      (result) => {
        void printQrOfConnect(request, services, accountId);
        const account = accountRowToWildcat(accountResultToRow(resultBranch<AccountResultValue>(result, 'wa.commands.AccountResult')));
        return { kind: 'json', status: 201, body: { account } };
      },
      ACCOUNT_ERRORS,
    );
  },
});

/**
 * The new account's session is opening: a connect command answers with its QR, which is
 * printed for the operator. It runs after the answer, detached from the request.
 */
async function printQrOfConnect(request: Parameters<typeof commandRequest>[0], services: ApiServices, accountId: string): Promise<void> {
  try {
    const answer = await services.commands.send(commandRequest(request, 'account.connect', connectPayload(), { accountId, step: 'connect', detached: true }));
    if (answer.kind !== 'completed' || answer.result.status !== 'SUCCEEDED') return;
    const { qr } = connectResultOf(answer.result);
    if (qr !== null) printQr(accountId, qr);
  } catch {
    // Printing is a convenience: the QR is also served by GET /channels/:id/qr.
  }
}

/** `GET /accounts`. */
export const listAccounts = defineRoute({
  method: 'GET',
  path: '/accounts',
  surface: 'wildcat',
  operationId: 'wildcatListAccounts',
  summary: 'List all accounts with their connection status',
  tags: TAGS,
  access: 'admin',
  responses: responses({ 200: { description: 'The accounts', schema: z.object({ accounts: z.array(wildcatAccountSchema) }) } }),
  handler: async (_request, services) => ({ kind: 'json', body: { accounts: (await services.reads.accounts()).map(accountRowToWildcat) } }),
});

/** `GET /accounts/:accountId`. */
export const getAccount = defineRoute({
  method: 'GET',
  path: '/accounts/:accountId',
  surface: 'wildcat',
  operationId: 'wildcatGetAccount',
  summary: 'Get one account',
  tags: TAGS,
  access: 'account',
  account: 'path:accountId',
  params: accountParams,
  responses: responses({ 200: { description: 'The account', schema: z.object({ account: wildcatAccountSchema }) } }, { 404: 'Account not found' }),
  handler: async (request, services) => {
    const row = await services.reads.account(request.accountId);
    if (row === null) throw accountNotFound();
    return { kind: 'json', body: { account: accountRowToWildcat(row) } };
  },
});

/** `DELETE /accounts/:accountId`. */
export const deleteAccount = defineRoute({
  method: 'DELETE',
  path: '/accounts/:accountId',
  surface: 'wildcat',
  operationId: 'wildcatDeleteAccount',
  summary: 'Delete an account with its messages, media, session and settings',
  tags: TAGS,
  access: 'account',
  account: 'path:accountId',
  params: accountParams,
  responses: responses({ 200: { description: 'Deleted', schema: messageBody }, ...ACCEPTED }, { 404: 'Account not found' }),
  handler: async (request, services) => {
    const answer = await services.commands.send(commandRequest(request, 'account.delete', deleteAccountPayload()));
    return documentedOutcome(answer, () => ({ kind: 'json', body: { message: `Account ${request.accountId} deleted` } }), ACCOUNT_ERRORS);
  },
});

/** `GET /accounts/:accountId/status`. */
export const accountStatus = defineRoute({
  method: 'GET',
  path: '/accounts/:accountId/status',
  surface: 'wildcat',
  operationId: 'wildcatAccountStatus',
  summary: 'Get the connection status of an account',
  tags: ['Connection'],
  access: 'account',
  account: 'path:accountId',
  params: accountParams,
  responses: responses(
    {
      200: {
        description: 'The status',
        schema: z.object({ status: z.enum(WILDCAT_STATUSES), accountId: z.string(), lastUpdate: z.string().meta({ format: 'date-time' }) }),
      },
    },
    { 404: 'Account not found' },
  ),
  handler: async (request, services) => {
    const row = await services.reads.account(request.accountId);
    if (row === null) throw accountNotFound();
    return { kind: 'json', body: { status: wildcatStatus(row.status), accountId: row.accountId, lastUpdate: new Date(row.statusAt).toISOString() } };
  },
});

/** `POST /accounts/:accountId/connect`: opens the session; a QR to scan is printed in the terminal. */
export const connectAccount = defineRoute({
  method: 'POST',
  path: '/accounts/:accountId/connect',
  surface: 'wildcat',
  operationId: 'wildcatConnectAccount',
  summary: 'Connect an account (its QR code is printed in the server terminal)',
  tags: ['Connection'],
  access: 'account',
  account: 'path:accountId',
  params: accountParams,
  responses: responses(
    { 200: { description: 'Connecting', schema: z.object({ message: z.string(), status: z.enum(WILDCAT_STATUSES) }) }, ...ACCEPTED },
    { 404: 'Account not found' },
  ),
  handler: async (request, services) => {
    const answer = await services.commands.send(commandRequest(request, 'account.connect', connectPayload()));
    return documentedOutcome(
      answer,
      (result) => {
        const connect = connectResultOf(result);
        if (connect.qr !== null) printQr(request.accountId, connect.qr);
        return { kind: 'json', body: { message: `Attempting to connect ${request.accountId}`, status: wildcatStatus(accountStatusOf(connect.state)) } };
      },
      ACCOUNT_ERRORS,
    );
  },
});

/** `POST /accounts/:accountId/disconnect`: closes the session, keeps the link. */
export const disconnectAccount = defineRoute({
  method: 'POST',
  path: '/accounts/:accountId/disconnect',
  surface: 'wildcat',
  operationId: 'wildcatDisconnectAccount',
  summary: 'Disconnect an account without deleting it',
  tags: ['Connection'],
  access: 'account',
  account: 'path:accountId',
  params: accountParams,
  responses: responses({ 200: { description: 'Disconnected', schema: messageBody }, ...ACCEPTED }, { 404: 'Account not found' }),
  handler: async (request, services) => {
    const answer = await services.commands.send(commandRequest(request, 'account.disconnect', endSessionPayload()));
    return documentedOutcome(answer, () => ({ kind: 'json', body: { message: `Account ${request.accountId} disconnected` } }), ACCOUNT_ERRORS);
  },
});

function accountNotFound(): WaError {
  return new WaError('NOT_FOUND', 'Account not found', { field: 'accountId' });
}

/** The account routes of the WILDCAT document. */
export const accountRoutes: AnyRoute[] = [createAccount, listAccounts, getAccount, deleteAccount, accountStatus, connectAccount, disconnectAccount];
