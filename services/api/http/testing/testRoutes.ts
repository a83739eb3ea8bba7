import { z } from 'zod';
import { WaError } from '../../../shared/index.js';
import { defineRoute, type AnyRoute } from '../route.js';

/** What the test routes let a test observe. */
export interface TestProbe {
  streamsStarted: number;
  streamsStopped: number;
}

/**
 * Routes that exercise every part of the core (both envelopes, every result kind, access
 * levels, both account sources, multipart, validation). They are fixtures of the HTTP layer,
 * not WhatsApp: handlers echo what the core handed them.
 */
export function testRoutes(probe: TestProbe, options: { withFailures: boolean } = { withFailures: true }): AnyRoute[] {
  const routes: AnyRoute[] = [
    defineRoute({
      method: 'POST',
      path: '/accounts/:accountId/message/send',
      surface: 'wildcat',
      operationId: 'testSendText',
      summary: 'Echo a text send',
      tags: ['Test'],
      access: 'account',
      account: 'path:accountId',
      body: z.object({ to: z.string().min(1), message: z.string({ error: 'to and message are required' }) }),
      responses: { 200: { description: 'Sent', schema: z.object({ messageId: z.string() }) } },
      handler: async (request) => ({ kind: 'json', body: { messageId: `m-${request.accountId}-${request.body.to}`, idempotencyKey: request.idempotencyKey } }),
    }),
    defineRoute({
      method: 'POST',
      path: '/accounts/:accountId/message/send/image',
      surface: 'wildcat',
      operationId: 'testSendImage',
      summary: 'Echo an image upload',
      tags: ['Test'],
      access: 'account',
      account: 'path:accountId',
      body: z.object({ to: z.string().min(1), caption: z.string().optional() }),
      multipart: { files: ['image'], required: true },
      responses: { 200: { description: 'Stored', schema: z.object({ mediaId: z.string(), size: z.number() }) } },
      handler: async (request) => {
        const file = request.files[0]!;
        return { kind: 'json', body: { mediaId: file.mediaId, size: file.size, mimetype: file.mimetype, fileName: file.fileName, to: request.body.to, caption: request.body.caption ?? null } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/accounts/:accountId/connect',
      surface: 'wildcat',
      operationId: 'testConnect',
      summary: 'A command that outlives the wait',
      tags: ['Test'],
      access: 'account',
      account: 'path:accountId',
      responses: { 202: { description: 'Pending' } },
      handler: async (request) => ({ kind: 'accepted', commandId: `cmd-${request.accountId}` }),
    }),
    defineRoute({
      method: 'POST',
      path: '/messages/contact',
      surface: 'whapi',
      operationId: 'testSendContact',
      summary: 'Echo a contact send (fields from query or body)',
      tags: ['Test'],
      access: 'account',
      account: 'channel',
      body: z.object({ channelId: z.string(), to: z.string().min(1), contact: z.object({ fullName: z.string().min(1), phone: z.string().min(3) }) }),
      responses: { 200: { description: 'Sent', schema: z.object({ messageId: z.string() }), layout: 'spread' } },
      handler: async (request) => ({ kind: 'json', body: { messageId: `c-${request.accountId}`, to: request.body.to, contact: request.body.contact, channelId: request.body.channelId } }),
    }),
    defineRoute({
      method: 'POST',
      path: '/messages/text',
      surface: 'whapi',
      operationId: 'testSendTextWhapi',
      summary: 'A WHAPI command that outlives the wait',
      tags: ['Test'],
      access: 'account',
      account: 'channel',
      body: z.object({ to: z.string().min(1), body: z.string().min(1) }),
      responses: { 202: { description: 'Pending' } },
      handler: async (request) => ({ kind: 'accepted', commandId: `cmd/${request.accountId}` }),
    }),
    defineRoute({
      method: 'GET',
      path: '/chats',
      surface: 'whapi',
      operationId: 'testListChats',
      summary: 'Echo a paged list',
      tags: ['Test'],
      access: 'account',
      account: 'channel',
      query: z.object({ channelId: z.string(), limit: z.coerce.number().int().min(1).max(100).default(50) }),
      responses: { 200: { description: 'Chats', schema: z.array(z.object({ chatId: z.string() })) } },
      handler: async (request) => ({ kind: 'json', body: [{ chatId: `${request.accountId}:${request.query.limit}` }] }),
    }),
    defineRoute({
      method: 'POST',
      path: '/chats/:id/read',
      surface: 'whapi',
      operationId: 'testReadChat',
      summary: 'A channel route without body fields',
      tags: ['Test'],
      access: 'account',
      account: 'channel',
      responses: { 200: { description: 'Read' } },
      handler: async (request) => ({ kind: 'json', body: { chatId: (request.params as Record<string, string>)['id'], accountId: request.accountId } }),
    }),
    defineRoute({
      method: 'GET',
      path: '/media/:id',
      surface: 'whapi',
      operationId: 'testDownloadMedia',
      summary: 'Stream a stored file',
      tags: ['Test'],
      access: 'account',
      account: 'channel',
      params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }),
      responses: { 200: { description: 'The bytes', contentType: 'application/octet-stream' } },
      handler: async (request, services) => {
        const { media, stream } = await services.media.open(request.params.id);
        return { kind: 'stream', stream, contentType: media.mimetype ?? 'application/octet-stream', contentLength: media.size };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/echo/:thing',
      surface: 'system',
      operationId: 'testEcho',
      summary: 'Echo what the core handed over',
      tags: ['Test'],
      access: 'key',
      params: z.object({ thing: z.string() }),
      body: z.unknown(),
      responses: { 200: { description: 'Echo' } },
      handler: async (request) => ({
        kind: 'json',
        body: { params: request.params, body: request.body, principal: request.principal, requestId: request.requestId, idempotencyKey: request.idempotencyKey, accept: request.headers['accept'] ?? null },
      }),
    }),
    defineRoute({
      method: 'GET',
      path: '/admin-only',
      surface: 'system',
      operationId: 'testAdminOnly',
      summary: 'Admin only',
      tags: ['Test'],
      access: 'admin',
      responses: { 200: { description: 'Yes' } },
      handler: async () => ({ kind: 'json', body: { admin: true } }),
    }),
    defineRoute({
      method: 'GET',
      path: '/conflict',
      surface: 'whapi',
      operationId: 'testConflict',
      summary: 'A refused request',
      tags: ['Test'],
      access: 'key',
      responses: { 409: { description: 'Conflict' } },
      handler: async () => {
        throw new WaError('CONFLICT', 'account acc-a is not connected');
      },
    }),
  ];
  if (options.withFailures) {
    routes.push(
      defineRoute({
        method: 'GET',
        path: '/boom',
        surface: 'wildcat',
        operationId: 'testBoom',
        summary: 'An unexpected failure',
        tags: ['Test'],
        access: 'public',
        responses: {},
        handler: async () => {
          throw new Error('database password is hunter2');
        },
      }),
      defineRoute({
        method: 'GET',
        path: '/events',
        surface: 'system',
        operationId: 'testEvents',
        summary: 'Server-Sent Events until the client leaves',
        tags: ['Test'],
        access: 'key',
        query: z.object({ quiet: z.enum(['true', 'false']).default('false') }),
        responses: { 200: { description: 'Events', contentType: 'text/event-stream' } },
        handler: async (request) => ({
          kind: 'event-stream',
          run: async (write, signal) => {
            probe.streamsStarted += 1;
            try {
              for (let n = 1; !signal.aborted; n += 1) {
                if (request.query.quiet === 'false') await write(`id: ${n}\nevent: tick\ndata: {"n":${n}}\n\n`);
                await new Promise((resolve) => setTimeout(resolve, 20));
              }
            } finally {
              probe.streamsStopped += 1;
            }
          },
        }),
      }),
    );
  }
  return routes;
}
