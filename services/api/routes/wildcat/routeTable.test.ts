import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { buildOpenApi, checkRoutes, type AnyRoute } from '../../http/index.js';
import { channelRoutes } from '../channels/index.js';
import { wildcatRoutes } from './index.js';

/** What both documents list (WILDCAT without /ping, WHAPI's /channels...), plus the natural additions. */
const DOCUMENTED = {
  wildcat: [
    'POST /accounts',
    'GET /accounts',
    'GET /accounts/:accountId',
    'DELETE /accounts/:accountId',
    'POST /accounts/:accountId/message/send',
    'POST /accounts/:accountId/message/send/image',
    'POST /accounts/:accountId/message/send/video',
    'POST /accounts/:accountId/message/send/audio',
    'POST /accounts/:accountId/message/send/document',
    'POST /accounts/:accountId/message/reply',
    'POST /accounts/:accountId/message/react',
    'POST /accounts/:accountId/message/delete',
    'GET /accounts/:accountId/chats',
    'GET /accounts/:accountId/chats/:chatId/messages',
    'GET /accounts/:accountId/messages/:messageId',
    'GET /accounts/:accountId/messages/:messageId/media',
    'GET /accounts/:accountId/status',
    'POST /accounts/:accountId/connect',
    'POST /accounts/:accountId/disconnect',
    'POST /webhooks',
    'GET /webhooks',
    'DELETE /webhooks/:webhookId',
    'GET /webhooks/:webhookId/attempts',
    'GET /webhooks/:webhookId/dead-letters',
    'POST /webhooks/:webhookId/redeliver',
  ],
  whapi: [
    'GET /channels',
    'POST /channels',
    'GET /channels/:id',
    'PUT /channels/:id',
    'DELETE /channels/:id',
    'POST /channels/:id/connect',
    'POST /channels/:id/connect-phone',
    'POST /channels/:id/disconnect',
    'POST /channels/:id/logout',
    'GET /channels/:id/status',
    'GET /channels/:id/qr',
    'GET /channels/:id/qr/image',
    'GET /channels/:id/chats',
    'GET /channels/:id/chats/:chatId/messages',
    'POST /channels/:id/messages/send-immediate',
    'POST /channels/:id/messages/image',
    'POST /channels/:id/messages/video',
    'POST /channels/:id/messages/document',
    'POST /channels/:id/messages/location',
    'POST /channels/:id/messages/contact',
    'GET /channels/:id/webhook',
    'PUT /channels/:id/webhook',
    'DELETE /channels/:id/webhook',
    'GET /channels/:id/webhook/attempts',
    'GET /channels/:id/webhook/dead-letters',
    'POST /channels/:id/webhook/redeliver',
  ],
};

const ADMIN_ONLY = ['POST /accounts', 'GET /accounts', 'POST /webhooks', 'GET /webhooks', 'DELETE /webhooks/:webhookId', 'GET /channels', 'POST /channels'];
/** Routes about one webhook by its id: any key may ask, the handler lets an account key at its account's webhook only. */
const ANY_KEY = ['GET /webhooks/:webhookId/attempts', 'GET /webhooks/:webhookId/dead-letters', 'POST /webhooks/:webhookId/redeliver'];

function key(route: AnyRoute): string {
  return `${route.method} ${route.path}`;
}

function schemasOf(route: AnyRoute): z.ZodType[] {
  return [route.params, route.query, route.body, ...Object.values(route.responses).map((response) => response.schema)].filter((schema): schema is z.ZodType => schema !== undefined);
}

describe('route table', () => {
  it('serves exactly the documented endpoints, each once, on its surface', () => {
    assert.deepEqual(wildcatRoutes.map(key).sort(), [...DOCUMENTED.wildcat].sort());
    assert.deepEqual(channelRoutes.map(key).sort(), [...DOCUMENTED.whapi].sort());
    assert.ok(wildcatRoutes.every((route) => route.surface === 'wildcat'));
    assert.ok(channelRoutes.every((route) => route.surface === 'whapi'));
  });

  const all = [...wildcatRoutes, ...channelRoutes];

  it('has unique camelCase operationIds, a summary and tags on every route', () => {
    const ids = all.map((route) => route.operationId);
    assert.equal(new Set(ids).size, ids.length);
    for (const route of all) {
      assert.match(route.operationId, /^[a-z][A-Za-z0-9]*$/, key(route));
      assert.ok(route.summary.length > 0 && route.tags.length > 0, key(route));
    }
  });

  it('admin-only routes are the listings and creations; a webhook’s log is for any key; the rest are per account, from a path parameter', () => {
    for (const route of all) {
      if (ADMIN_ONLY.includes(key(route))) {
        assert.equal(route.access, 'admin', key(route));
        continue;
      }
      if (ANY_KEY.includes(key(route))) {
        assert.equal(route.access, 'key', key(route));
        continue;
      }
      assert.equal(route.access, 'account', key(route));
      const param = route.account?.replace(/^path:/, '');
      assert.ok(param !== undefined && route.path.includes(`:${param}`), `${key(route)} takes its account from :${param}`);
    }
  });

  it('documents a success, the authentication errors and 429 on every route', () => {
    for (const route of all) {
      const statuses = Object.keys(route.responses).map(Number);
      assert.ok(statuses.some((status) => status >= 200 && status < 300), key(route));
      for (const status of [401, 403, 429]) assert.ok(statuses.includes(status), `${key(route)} documents ${status}`);
      const hasFile = Object.values(route.responses).some((response) => response.contentType !== undefined);
      const hasJson = Object.values(route.responses).some((response) => response.schema !== undefined);
      assert.ok(hasFile || hasJson, `${key(route)} describes its answer`);
    }
  });

  it('every schema renders as JSON Schema (input and output) for the OpenAPI document', () => {
    for (const route of all) {
      for (const schema of schemasOf(route)) {
        assert.doesNotThrow(() => z.toJSONSchema(schema, { io: 'input' }), key(route));
        assert.doesNotThrow(() => z.toJSONSchema(schema, { io: 'output' }), key(route));
      }
    }
  });

  it('passes the core’s route checks and builds into the OpenAPI document', () => {
    assert.doesNotThrow(() => checkRoutes(all));
    const document = buildOpenApi(all, { title: 'test', version: '0' });
    assert.equal(Object.keys(document.paths).length, new Set(all.map((route) => route.path)).size);
    assert.ok(document.paths['/channels/{id}/qr/image']?.['get']);
    assert.ok(document.paths['/accounts/{accountId}/chats/{chatId}/messages']?.['get']);
  });

  it('multipart routes are the WILDCAT uploads, with their file field', () => {
    const multipart = all.filter((route) => route.multipart !== undefined).map((route) => [key(route), route.multipart!.files.join(), route.multipart!.required]);
    assert.deepEqual(multipart, [
      ['POST /accounts/:accountId/message/send/image', 'image', true],
      ['POST /accounts/:accountId/message/send/video', 'video', true],
      ['POST /accounts/:accountId/message/send/audio', 'audio', true],
      ['POST /accounts/:accountId/message/send/document', 'document', true],
    ]);
  });
});
