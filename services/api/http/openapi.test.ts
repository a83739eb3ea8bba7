import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { buildOpenApi, openApiProblems } from './openapi.js';
import { defineRoute, type AnyRoute } from './route.js';

const Contact = z.object({ fullName: z.string(), phone: z.string() }).meta({ id: 'Contact' });

const routes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/accounts/:accountId/message/send',
    surface: 'wildcat',
    operationId: 'sendText',
    summary: 'Send a text',
    tags: ['Messaging'],
    access: 'account',
    account: 'path:accountId',
    body: z.object({ to: z.string(), message: z.string() }),
    responses: { 200: { description: 'Sent', schema: z.object({ messageId: z.string() }) }, 202: { description: 'Pending' } },
    handler: async () => ({ kind: 'json', body: {} }),
  }),
  defineRoute({
    method: 'POST',
    path: '/messages/contact',
    surface: 'whapi',
    operationId: 'sendContact',
    summary: 'Send a contact',
    tags: ['Messages'],
    access: 'account',
    account: 'channel',
    body: z.object({ to: z.string(), contact: Contact, more: z.array(Contact).optional() }),
    responses: { 200: { description: 'Sent', schema: z.object({ messageId: z.string() }), layout: 'spread' } },
    handler: async () => ({ kind: 'json', body: {} }),
  }),
  defineRoute({
    method: 'GET',
    path: '/channels/:id/chats/:chatId/messages',
    surface: 'whapi',
    operationId: 'listMessages',
    summary: 'Messages of a chat',
    tags: ['Channels'],
    access: 'account',
    account: 'path:id',
    params: z.object({ id: z.string(), chatId: z.string().describe('Chat JID') }),
    query: z.object({ limit: z.coerce.number().int().max(100).default(50), offset: z.coerce.number().int().min(0).optional() }),
    responses: { 200: { description: 'Messages', schema: z.array(z.object({ id: z.string() })) } },
    handler: async () => ({ kind: 'json', body: [] }),
  }),
];

describe('buildOpenApi', () => {
  const doc = buildOpenApi(routes, { title: 't', version: '1' });

  it('given routes, then a valid 3.1 document with every route, parameter and envelope', () => {
    assert.deepEqual(openApiProblems(doc, routes), []);
    const send = doc.paths['/accounts/{accountId}/message/send']!['post']!;
    assert.deepEqual(send.responses['200']!.content!['application/json']!.schema, {
      type: 'object',
      properties: { ok: { const: true }, messageId: { type: 'string' } },
      required: ['ok', 'messageId'],
    });
    assert.equal(send.responses['202']!.content!['application/json']!.schema['$ref'], '#/components/schemas/WildcatAccepted');
    assert.equal(send.responses['401']!.content!['application/json']!.schema['$ref'], '#/components/schemas/WildcatError');
    assert.ok(send.parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'));
    const messages = doc.paths['/channels/{id}/chats/{chatId}/messages']!['get']!;
    assert.deepEqual(messages.parameters.map((p) => `${p.in}:${p.name}:${p.required}`), ['path:id:true', 'path:chatId:true', 'query:limit:false', 'query:offset:false']);
    assert.equal(messages.parameters[1]!.schema['description'], 'Chat JID');
    assert.deepEqual(messages.responses['200']!.content!['application/json']!.schema['required'], ['success', 'data']);
    assert.equal(messages.responses['400']!.content!['application/json']!.schema['$ref'], '#/components/schemas/WhapiError');
  });

  it('given routes that read a body, then 413 and 415 are documented for them and not for reads', () => {
    // Found by the API fuzz (test/integration/apiFuzz.test.ts): the core answered 415 where the document declared none.
    const send = doc.paths['/accounts/{accountId}/message/send']!['post']!;
    const contact = doc.paths['/messages/contact']!['post']!;
    const messages = doc.paths['/channels/{id}/chats/{chatId}/messages']!['get']!;
    for (const op of [send, contact]) assert.deepEqual([op.responses['413']?.description !== undefined, op.responses['415']?.description !== undefined], [true, true]);
    assert.deepEqual([messages.responses['413'], messages.responses['415']], [undefined, undefined]);
  });

  it('given a read, then no Idempotency-Key header is documented (the core ignores it there)', () => {
    const messages = doc.paths['/channels/{id}/chats/{chatId}/messages']!['get']!;
    assert.ok(!messages.parameters.some((p) => p.name === 'Idempotency-Key'));
  });

  it('given named schemas, then they move to components and every reference resolves', () => {
    assert.deepEqual(doc.components.schemas['Contact'], {
      type: 'object',
      properties: { fullName: { type: 'string' }, phone: { type: 'string' } },
      required: ['fullName', 'phone'],
    });
    const body = doc.paths['/messages/contact']!['post']!.requestBody!.content['application/json']!.schema as { properties: Record<string, { $ref?: string }> };
    assert.equal(body.properties['contact']!.$ref, '#/components/schemas/Contact');
    assert.doesNotMatch(JSON.stringify(doc), /\$defs|"\$schema"/);
  });

  it('given a broken document, then its problems are named', () => {
    const broken = structuredClone(doc);
    const messages = broken.paths['/channels/{id}/chats/{chatId}/messages']!['get']!;
    messages.parameters = messages.parameters.filter((p) => p.name !== 'chatId');
    broken.paths['/messages/contact']!['post']!.operationId = 'sendText';
    (broken.components.schemas as Record<string, unknown>)['Contact'] = undefined;
    delete broken.paths['/accounts/{accountId}/message/send'];
    const problems = openApiProblems(broken, routes);
    assert.ok(problems.some((p) => p.includes('does not declare path parameter chatId')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('POST /accounts/:accountId/message/send is not documented')));
    assert.ok(problems.some((p) => p.includes('documented as sendText, not sendContact')));
    assert.ok(problems.some((p) => p.includes('#/components/schemas/Contact resolves nowhere')));
  });
});
