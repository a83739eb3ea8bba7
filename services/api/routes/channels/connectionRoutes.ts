import { z } from 'zod';
import { WaError, qrDataUrl, qrPng } from '../../../shared/index.js';
import type { AccountRow } from '../../../../projections/readModels/index.js';
import type { ApiServices } from '../../ApiServices.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import {
  ACCEPTED,
  accountIdSchema,
  accountStatusOf,
  commandRequest,
  connectPayload,
  connectResultOf,
  documentedOutcome,
  endSessionPayload,
  formatPairingCode,
  responses,
  whapiStatus,
  WHAPI_STATUSES,
  type ConnectResultValue,
} from '../shared/index.js';
import { CHANNEL_ERRORS, channelNotFound } from './channelErrors.js';
import { connectPhoneBody } from './channelRequests.js';

const TAGS = ['Channels'] as const;
const channelParams = z.object({ id: accountIdSchema });
const statusSchema = z.enum(WHAPI_STATUSES);

/** What `POST /channels/:id/connect` answers beside `success`. */
export const connectAnswerSchema = z.object({
  status: statusSchema,
  qr: z.string().optional().meta({ description: 'data:image/png;base64,... (status qr)' }),
  phone: z.string().nullable().optional().meta({ description: 'the linked number (status connected)' }),
});
export type ConnectAnswer = z.infer<typeof connectAnswerSchema>;

/** A ConnectResult as the connect answer: the QR as a PNG data URL while one is waiting to be scanned. */
export async function connectAnswer(result: ConnectResultValue): Promise<ConnectAnswer> {
  const status = whapiStatus(accountStatusOf(result.state));
  if (status === 'connected') return { status, phone: result.mePhone };
  if (result.qr !== null) return { status: 'qr', qr: await qrDataUrl(result.qr) };
  return { status };
}

/** What `POST /channels/:id/connect-phone` answers beside `success`. */
export const pairingAnswerSchema = z.object({
  pairingCode: z.string().nullable().meta({ example: 'ABCD-1234', description: 'null when already connected or not issued within the wait' }),
  status: statusSchema,
});
export type PairingAnswer = z.infer<typeof pairingAnswerSchema>;

/** A ConnectResult as the connect-phone answer. */
export function pairingAnswer(result: ConnectResultValue): PairingAnswer {
  return { pairingCode: result.pairingCode === null ? null : formatPairingCode(result.pairingCode), status: whapiStatus(accountStatusOf(result.state)) };
}

/** `POST /channels/:id/connect`: opens the session and answers with the QR to scan. */
export const connectChannel = defineRoute({
  method: 'POST',
  path: '/channels/:id/connect',
  surface: 'whapi',
  operationId: 'connectChannel',
  summary: 'Start connection (generates QR code)',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  responses: responses({ 200: { description: 'The QR to scan, or the reached status', schema: connectAnswerSchema, layout: 'spread' }, ...ACCEPTED }, { 404: 'Channel not found' }),
  handler: async (request, services) => {
    const answer = await services.commands.send(commandRequest(request, 'account.connect', connectPayload()));
    return documentedOutcome(answer, async (result) => ({ kind: 'json', body: await connectAnswer(connectResultOf(result)) }), CHANNEL_ERRORS);
  },
});

/** `POST /channels/:id/connect-phone`: links by pairing code instead of QR. */
export const connectChannelPhone = defineRoute({
  method: 'POST',
  path: '/channels/:id/connect-phone',
  surface: 'whapi',
  operationId: 'connectChannelPhone',
  summary: 'Connect via phone number (pairing code)',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  body: connectPhoneBody,
  responses: responses(
    { 200: { description: 'The pairing code to enter on the phone', schema: pairingAnswerSchema, layout: 'spread' }, ...ACCEPTED },
    { 400: 'phoneNumber is required', 404: 'Channel not found' },
  ),
  handler: async (request, services) => {
    const answer = await services.commands.send(commandRequest(request, 'account.connect', connectPayload(request.body.phoneNumber)));
    return documentedOutcome(answer, (result) => ({ kind: 'json', body: pairingAnswer(connectResultOf(result)) }), CHANNEL_ERRORS);
  },
});

const sessionEndedSchema = z.object({ id: z.string(), status: statusSchema });

/** `POST /channels/:id/disconnect`: closes the session, keeps the link. */
export const disconnectChannel = defineRoute({
  method: 'POST',
  path: '/channels/:id/disconnect',
  surface: 'whapi',
  operationId: 'disconnectChannel',
  summary: 'Disconnect session (keeps auth)',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  responses: responses({ 200: { description: 'Disconnected', schema: sessionEndedSchema }, ...ACCEPTED }, { 404: 'Channel not found' }),
  handler: async (request, services) => {
    const answer = await services.commands.send(commandRequest(request, 'account.disconnect', endSessionPayload()));
    return documentedOutcome(answer, () => ({ kind: 'json', body: { id: request.accountId, status: 'disconnected' } }), CHANNEL_ERRORS);
  },
});

/** `POST /channels/:id/logout`: unlinks the device and deletes the session. */
export const logoutChannel = defineRoute({
  method: 'POST',
  path: '/channels/:id/logout',
  surface: 'whapi',
  operationId: 'logoutChannel',
  summary: 'Logout and delete session',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  responses: responses({ 200: { description: 'Logged out', schema: sessionEndedSchema }, ...ACCEPTED }, { 404: 'Channel not found' }),
  handler: async (request, services) => {
    const answer = await services.commands.send(commandRequest(request, 'account.logout', endSessionPayload()));
    return documentedOutcome(answer, () => ({ kind: 'json', body: { id: request.accountId, status: 'disconnected' } }), CHANNEL_ERRORS);
  },
});

/** `GET /channels/:id/status`: the document's bare `{ status }`, no envelope. */
export const channelStatus = defineRoute({
  method: 'GET',
  path: '/channels/:id/status',
  surface: 'whapi',
  operationId: 'channelStatus',
  summary: 'Get connection status',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  responses: responses({ 200: { description: 'The status (no envelope)', schema: z.object({ status: statusSchema }), layout: 'raw' } }, { 404: 'Channel not found' }),
  handler: async (request, services) => ({ kind: 'json', body: { status: whapiStatus((await channelRow(services, request.accountId)).status) } }),
});

/** The QR the channel waits to have scanned; 404 when there is none (linked, or expired). */
export async function currentQr(services: ApiServices, accountId: string): Promise<string> {
  const row = await channelRow(services, accountId);
  if (row.qr === null || (row.qrExpiresAt !== null && row.qrExpiresAt <= services.now())) {
    throw new WaError('NOT_FOUND', 'No QR code available: connect the channel first (POST /channels/:id/connect)');
  }
  return row.qr;
}

/** `GET /channels/:id/qr`. */
export const channelQr = defineRoute({
  method: 'GET',
  path: '/channels/:id/qr',
  surface: 'whapi',
  operationId: 'channelQr',
  summary: 'Get QR code as base64 JSON',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  responses: responses(
    { 200: { description: 'The QR as a PNG data URL', schema: z.object({ qr: z.string().meta({ example: 'data:image/png;base64,...' }) }), layout: 'spread' } },
    { 404: 'Channel not found, or no QR code waiting to be scanned' },
  ),
  handler: async (request, services) => ({
    kind: 'json',
    body: { qr: await qrDataUrl(await currentQr(services, request.accountId)) },
    headers: { 'Cache-Control': 'no-store' },
  }),
});

/** `GET /channels/:id/qr/image`. */
export const channelQrImage = defineRoute({
  method: 'GET',
  path: '/channels/:id/qr/image',
  surface: 'whapi',
  operationId: 'channelQrImage',
  summary: 'Get QR code as PNG image',
  tags: TAGS,
  access: 'account',
  account: 'path:id',
  params: channelParams,
  responses: responses({ 200: { description: 'The QR code', contentType: 'image/png' } }, { 404: 'Channel not found, or no QR code waiting to be scanned' }),
  handler: async (request, services) => {
    const png = await qrPng(await currentQr(services, request.accountId));
    return { kind: 'stream', stream: png, contentType: 'image/png', contentLength: png.length, headers: { 'Cache-Control': 'no-store' } };
  },
});

async function channelRow(services: ApiServices, accountId: string): Promise<AccountRow> {
  const row = await services.reads.account(accountId);
  if (row === null) throw channelNotFound();
  return row;
}

/** Connection control of the WHAPI document. */
export const connectionRoutes: AnyRoute[] = [connectChannel, connectChannelPhone, disconnectChannel, logoutChannel, channelStatus, channelQr, channelQrImage];
