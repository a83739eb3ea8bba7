import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildOpenApi, checkRoutes } from '../../http/index.js';
import { whapiRoutes } from './index.js';

/** Every endpoint of Seed API 2 this module serves, as the document lists them. */
const DOCUMENTED = [
  'POST /messages/text',
  'POST /messages/image',
  'POST /messages/video',
  'POST /messages/audio',
  'POST /messages/voice',
  'POST /messages/document',
  'POST /messages/sticker',
  'POST /messages/location',
  'POST /messages/contact',
  'POST /messages/gif',
  'POST /messages/short',
  'POST /messages/poll',
  'POST /messages/link-preview',
  'POST /messages/live-location',
  'POST /messages/contact-list',
  'POST /messages/forward',
  'GET /messages/list',
  'GET /messages/list/:chatId',
  'PUT /messages/:id/star',
  'POST /messages/:id/pin',
  'DELETE /messages/:id/pin',
  'PUT /messages/:id/reaction',
  'DELETE /messages/:id',
  'GET /chats',
  'GET /chats/:id',
  'POST /chats/:id/archive',
  'POST /chats/:id/unarchive',
  'POST /chats/:id/pin',
  'POST /chats/:id/unpin',
  'POST /chats/:id/mute',
  'POST /chats/:id/unmute',
  'POST /chats/:id/read',
  'DELETE /chats/:id',
  'GET /contacts',
  'POST /contacts/check',
  'GET /contacts/blocked',
  'POST /contacts/:phone/block',
  'POST /contacts/:phone/unblock',
  'GET /contacts/:phone/profile',
  'GET /groups',
  'POST /groups',
  'GET /groups/:id',
  'PUT /groups/:id',
  'DELETE /groups/:id',
  'POST /groups/:id/participants',
  'DELETE /groups/:id/participants',
  'POST /groups/:id/participants/promote',
  'POST /groups/:id/participants/demote',
  'GET /groups/:id/invite',
  'POST /groups/:id/invite/revoke',
  'GET /stories',
  'POST /stories/text',
  'POST /stories/image',
  'POST /stories/video',
  'DELETE /stories/:id',
  'GET /labels',
  'POST /labels',
  'DELETE /labels/:id',
  'POST /labels/:id/chats',
  'DELETE /labels/:id/chats/:chatId',
  'GET /business/profile',
  'PATCH /business/profile',
  'GET /business/categories',
  'GET /users/profile',
  'PATCH /users/profile',
  'PUT /users/profile/picture',
  'GET /media/:id',
  'POST /media/upload',
  'GET /newsletters',
  'POST /newsletters',
  'POST /newsletters/:id/messages',
  'GET /communities',
  'GET /communities/:id',
];

describe('whapiRoutes', () => {
  it('serve exactly the documented endpoints', () => {
    assert.deepEqual(whapiRoutes.map((route) => `${route.method} ${route.path}`).sort(), [...DOCUMENTED].sort());
  });

  it('pass the core’s route checks and build an OpenAPI document', () => {
    checkRoutes(whapiRoutes);
    const document = buildOpenApi(whapiRoutes, { title: 'test', version: '0' });
    assert.equal(Object.values(document.paths).reduce((count, item) => count + Object.keys(item as object).length, 0), DOCUMENTED.length);
  });

  it('are WHAPI routes of a channel (X-Channel-Id / channelId), except the categories any key may read', () => {
    for (const route of whapiRoutes) {
      assert.equal(route.surface, 'whapi', route.path);
      assert.ok(route.tags.length > 0, route.path);
      if (route.path === '/business/categories') {
        assert.equal(route.access, 'key');
        continue;
      }
      assert.equal(route.access, 'account', route.path);
      assert.equal(route.account, 'channel', route.path);
    }
  });

  it('writes declare a body, so the channel may be named in it', () => {
    for (const route of whapiRoutes.filter((r) => r.method !== 'GET')) assert.ok(route.body !== undefined || route.multipart !== undefined, `${route.method} ${route.path}`);
  });

  it('document their success and the errors every client meets', () => {
    for (const route of whapiRoutes) {
      const where = `${route.method} ${route.path}`;
      const statuses = Object.keys(route.responses).map(Number);
      assert.ok(statuses.includes(200), where);
      // An upload names nothing that could be missing: the file is stored whatever the channel.
      const errors = route.access === 'key' ? [401, 429] : route.path === '/media/upload' ? [400, 401, 403, 413, 429] : [400, 401, 403, 404, 429];
      for (const status of errors) assert.ok(statuses.includes(status), `${where} documents ${status}`);
      assert.ok(route.responses[200]?.schema !== undefined || route.responses[200]?.contentType !== undefined, `${where} documents its answer`);
    }
  });

  it('a route that waits on a command documents its expiry (504) beside its 202', () => {
    // Left by the API fuzz: an EXPIRED command result answers 504, which no route declared.
    const commandRoutes = whapiRoutes.filter((route) => route.responses[202] !== undefined);
    assert.ok(commandRoutes.length > 10);
    for (const route of commandRoutes) assert.ok(route.responses[504] !== undefined, `${route.method} ${route.path} documents 504`);
  });
});
