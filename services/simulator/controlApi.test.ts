import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../shared/index.js';
import { createSimulator, type Simulator } from './index.js';

const logger = createLogger('test', 'silent');
let dir: string;
let simulator: Simulator;

interface Reply {
  status: number;
  body: Record<string, any>;
}

async function call(method: string, route: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${simulator.url}${route}`, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Asserts a `400 { error: { code, message, field } }` naming `field`. */
async function badInput(method: string, route: string, body: unknown, field: string): Promise<void> {
  const reply = await call(method, route, body);
  assert.equal(reply.status, 400, `${route} ${JSON.stringify(body)} → ${JSON.stringify(reply.body)}`);
  assert.equal(reply.body.error.code, 'INVALID_ARGUMENT');
  assert.equal(reply.body.error.field, field);
  assert.equal(typeof reply.body.error.message, 'string');
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wa-sim-control-'));
  simulator = await createSimulator({ dataDir: dir, port: 0, host: '127.0.0.1', logger });
  assert.equal((await call('POST', '/sim/link', { accountId: 'shop', phone: '+91 98765 43210' })).status, 200);
});

after(async () => {
  await simulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('simulator control API over HTTP', () => {
  it('GET /sim/health answers ok with counts', async () => {
    const reply = await call('GET', '/sim/health');
    assert.equal(reply.status, 200);
    assert.equal(reply.body.ok, true);
    assert.equal(reply.body.linked, 1);
  });

  it('POST /sim/link links once, is idempotent for the same phone and refuses another phone', async () => {
    const again = await call('POST', '/sim/link', { accountId: 'shop', phone: '919876543210' });
    assert.deepEqual(again.body, { accountId: 'shop', phone: '919876543210', jid: '919876543210@s.whatsapp.net', alreadyLinked: true });
    const other = await call('POST', '/sim/link', { accountId: 'shop', phone: '919876500000' });
    assert.equal(other.status, 409);
    assert.equal(other.body.error.field, 'phone');
    const taken = await call('POST', '/sim/link', { accountId: 'other-shop', phone: '919876543210' });
    assert.equal(taken.status, 409);
  });

  it('POST /sim/link rejects bad input and phones that are not on WhatsApp', async () => {
    await badInput('POST', '/sim/link', { phone: '15550000001' }, 'accountId');
    await badInput('POST', '/sim/link', { accountId: 'a' }, 'phone');
    await badInput('POST', '/sim/link', { accountId: 'a', phone: 'not-a-phone' }, 'phone');
    await badInput('POST', '/sim/link', { accountId: 'a', phone: '0001234567' }, 'phone');
    await badInput('POST', '/sim/link', { accountId: 'a', phone: '15550000001', historyMessages: -1 }, 'historyMessages');
    await badInput('POST', '/sim/link', { accountId: 'a', phone: '15550000001', historyMessages: 'many' }, 'historyMessages');
    await badInput('POST', '/sim/link', '{not json', 'body');
    await badInput('POST', '/sim/link', '[1,2]', 'body');
  });

  it('POST /sim/inbound returns a message id and records the message in the inbox', async () => {
    const reply = await call('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', text: 'hello' });
    assert.equal(reply.status, 200);
    assert.match(reply.body.messageId, /^3A[0-9A-F]{18}$/);
    const inbox = await call('GET', '/sim/inbox?accountId=shop&from=15550000002');
    assert.deepEqual(
      inbox.body.messages.map((m: Record<string, unknown>) => [m.messageId, m.type, m.text, m.from, m.deliveredAt]),
      [[reply.body.messageId, 'text', 'hello', '15550000002', null]],
    );
    const quoted = await call('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', text: 'as I said', quotedMessageId: reply.body.messageId });
    assert.equal(quoted.status, 200);
    const withId = await call('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', text: 'x', messageId: 'ABC123' });
    const repeated = await call('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', text: 'x', messageId: 'ABC123' });
    assert.deepEqual([withId.body.duplicate, repeated.body.duplicate], [false, true]);
  });

  it('POST /sim/inbound rejects bad input naming the field, unknown accounts with 404 and 000 senders', async () => {
    await badInput('POST', '/sim/inbound', { from: '15550000002', text: 'x' }, 'accountId');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', text: 'x' }, 'from');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '0005550000', text: 'x' }, 'from');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '919876543210', text: 'x' }, 'from');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002' }, 'text');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', text: 42 }, 'text');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', type: 'hologram' }, 'type');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', type: 'image', media: '***' }, 'media');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', text: 'x', media: 'aGVsbG8=' }, 'media');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', type: 'image', mimetype: 'jpeg' }, 'mimetype');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', type: 'location', location: { latitude: 99, longitude: 0 } }, 'location.latitude');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', type: 'contact' }, 'contact');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', type: 'contact', contact: { name: 'Jo' } }, 'contact.phone');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', text: 'x', group: 'not-a-group' }, 'group');
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', text: 'x', messageId: 'has spaces' }, 'messageId');
    const unknown = await call('POST', '/sim/inbound', { accountId: 'nobody', from: '15550000002', text: 'x' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.field, 'accountId');
    const quoted = await call('POST', '/sim/inbound', { accountId: 'shop', from: '15550000002', text: 'x', quotedMessageId: 'NOPE' });
    assert.equal(quoted.status, 404);
    assert.equal(quoted.body.error.field, 'quotedMessageId');
  });

  it('POST /sim/inbound into an unknown group creates it with the sender and the account', async () => {
    const reply = await call('POST', '/sim/inbound', { accountId: 'shop', from: '15550000003', group: '120363000000000042', text: 'hi all' });
    assert.equal(reply.status, 200);
    const group = await call('GET', '/sim/groups/120363000000000042@g.us');
    assert.deepEqual(
      group.body.participants.map((p: Record<string, unknown>) => p.jid),
      ['15550000003@s.whatsapp.net', '919876543210@s.whatsapp.net'],
    );
    await badInput('POST', '/sim/inbound', { accountId: 'shop', from: '15550000004', group: '120363000000000042', text: 'x' }, 'from');
  });

  it('GET /sim/outbox and POST /sim/receipt check their input', async () => {
    assert.deepEqual((await call('GET', '/sim/outbox?accountId=shop')).body, { accountId: 'shop', messages: [] });
    await badInput('GET', '/sim/outbox', undefined, 'accountId');
    await badInput('GET', '/sim/outbox?accountId=shop&to=nobody', undefined, 'to');
    assert.equal((await call('GET', '/sim/outbox?accountId=nobody')).status, 404);
    await badInput('POST', '/sim/receipt', { accountId: 'shop', messageId: 'X', status: 'seen' }, 'status');
    await badInput('POST', '/sim/receipt', { accountId: 'shop', status: 'read' }, 'messageId');
    const missing = await call('POST', '/sim/receipt', { accountId: 'shop', messageId: 'NOT-SENT', status: 'read' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.field, 'messageId');
    assert.equal((await call('POST', '/sim/receipt', { accountId: 'nobody', messageId: 'X', status: 'read' })).status, 404);
  });

  it('unknown routes answer 404 and wrong methods 405, both in the error shape', async () => {
    const missing = await call('GET', '/sim/nothing');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'NOT_FOUND');
    assert.equal((await call('DELETE', '/sim/link')).status, 405);
    assert.equal((await call('GET', '/sim/accounts/nobody')).status, 404);
    assert.equal((await call('GET', '/sim/media/abc')).status, 404);
  });

  it('POST /sim/unlink unlinks, after which the account is unknown to the network (404)', async () => {
    assert.equal((await call('POST', '/sim/link', { accountId: 'temp', phone: '15550000009' })).status, 200);
    assert.equal((await call('POST', '/sim/unlink', { accountId: 'temp' })).status, 200);
    const refused = await call('POST', '/sim/inbound', { accountId: 'temp', from: '15550000002', text: 'x' });
    assert.equal(refused.status, 404);
    assert.equal(refused.body.error.field, 'accountId');
    assert.equal((await call('POST', '/sim/unlink', { accountId: 'temp' })).status, 404);
    assert.equal((await call('GET', '/sim/outbox?accountId=temp')).status, 200, 'what it sent before stays visible');
  });
});
