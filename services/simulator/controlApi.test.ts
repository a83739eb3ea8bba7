import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
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

  it('POST /sim/inbound/batch takes messages in order as single posts would, with their ids in order', async () => {
    const reply = await call('POST', '/sim/inbound/batch', {
      messages: [
        { accountId: 'shop', from: '15550000021', text: 'first' },
        { accountId: 'shop', from: '15550000021', text: 'second', messageId: 'BATCH0002' },
        { accountId: 'shop', from: '15550000021', text: 'again', messageId: 'BATCH0002' },
        { accountId: 'shop', from: '15550000022', group: '120363000000000077', text: 'new group' },
        { accountId: 'shop', from: '15550000022', text: 'quoting', quotedMessageId: 'BATCH0002' },
      ],
    });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const outcomes = reply.body.messages as Array<Record<string, unknown>>;
    assert.equal(outcomes.length, 5);
    assert.match(String(outcomes[0]!.messageId), /^3A[0-9A-F]{18}$/);
    assert.deepEqual(outcomes.slice(1, 3), [
      { messageId: 'BATCH0002', duplicate: false, blocked: false },
      { messageId: 'BATCH0002', duplicate: true, blocked: false },
    ]);
    const inbox = await call('GET', '/sim/inbox?accountId=shop&from=15550000021');
    assert.deepEqual(
      inbox.body.messages.map((m: Record<string, unknown>) => [m.messageId, m.text]),
      [
        [outcomes[0]!.messageId, 'first'],
        ['BATCH0002', 'second'],
      ],
    );
    // The group the fourth message created is there for later messages.
    assert.equal((await call('GET', '/sim/groups/120363000000000077@g.us')).status, 200);
  });

  it('POST /sim/inbound/batch answers a message the network refuses in its place and still takes the others', async () => {
    const reply = await call('POST', '/sim/inbound/batch', {
      messages: [
        { accountId: 'nobody', from: '15550000023', text: 'to nobody' },
        { accountId: 'shop', from: '15550000023', text: 'kept' },
        { accountId: 'shop', from: '15550000024', group: '120363000000000077', text: 'not a member' },
      ],
    });
    assert.equal(reply.status, 200);
    const [unknown, kept, outsider] = reply.body.messages as Array<Record<string, any>>;
    assert.deepEqual(unknown, { error: { code: 'NOT_FOUND', message: unknown!.error.message, field: 'accountId', status: 404 } });
    assert.equal(kept!.duplicate, false);
    assert.equal(outsider!.error.status, 400);
    assert.equal(outsider!.error.field, 'from');
    const inbox = await call('GET', '/sim/inbox?accountId=shop&from=15550000023');
    assert.deepEqual(inbox.body.messages.map((m: Record<string, unknown>) => m.messageId), [kept!.messageId]);
  });

  it('POST /sim/inbound/batch refuses a malformed batch as a whole, naming the item and its field', async () => {
    await badInput('POST', '/sim/inbound/batch', {}, 'messages');
    await badInput('POST', '/sim/inbound/batch', { messages: [] }, 'messages');
    await badInput('POST', '/sim/inbound/batch', { messages: 'hello' }, 'messages');
    await badInput('POST', '/sim/inbound/batch', { messages: Array.from({ length: 10_001 }, () => ({})) }, 'messages');
    await badInput('POST', '/sim/inbound/batch', { messages: [{ accountId: 'shop', from: '15550000025', text: 'fine' }, 42] }, 'messages[1]');
    await badInput('POST', '/sim/inbound/batch', { messages: [{ accountId: 'shop', from: '15550000025', text: 'fine' }, { accountId: 'shop', text: 'x' }] }, 'messages[1].from');
    await badInput(
      'POST',
      '/sim/inbound/batch',
      { messages: [{ accountId: 'shop', from: '15550000025', type: 'location', location: { latitude: 91, longitude: 0 } }] },
      'messages[0].location.latitude',
    );
    const inbox = await call('GET', '/sim/inbox?accountId=shop&from=15550000025');
    assert.deepEqual(inbox.body.messages, [], 'nothing of a refused batch was taken');
  });

  it('a path parameter that is no valid percent-encoding is a 400 naming it', async () => {
    // Found by the API fuzz (test/integration/apiFuzz.test.ts): decodeURIComponent threw and the simulator answered 500.
    await badInput('GET', '/sim/accounts/%E0%A4%A', undefined, 'accountId');
    await badInput('GET', '/sim/groups/%zz', undefined, 'groupId');
    assert.equal((await call('GET', `/sim/accounts/${encodeURIComponent('shop')}`)).status, 200);
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

describe('POST /sim/inbound/batch durability', () => {
  it('has every message of an answered batch on disk when it answers (what a kill -9 right after would leave)', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'wa-sim-batch-'));
    const crashed = await mkdtemp(path.join(tmpdir(), 'wa-sim-batch-crashed-'));
    try {
      const first = await createSimulator({ dataDir: folder, port: 0, host: '127.0.0.1', logger });
      const post = async (sim: Simulator, route: string, body: unknown): Promise<Record<string, any>> => {
        const response = await fetch(`${sim.url}${route}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        assert.equal(response.status, 200);
        return (await response.json()) as Record<string, any>;
      };
      let reply: Record<string, any>;
      const texts = Array.from({ length: 50 }, (_, i) => `batch ${i}`);
      try {
        await post(first, '/sim/link', { accountId: 'kept', phone: '15550000031' });
        reply = await post(first, '/sim/inbound/batch', { messages: texts.map((text) => ({ accountId: 'kept', from: '15550000032', text })) });
        // The folder as it is the moment the answer arrived, the first simulator still running:
        // no close() flushes anything for it.
        await cp(folder, crashed, { recursive: true });
      } finally {
        await first.close();
      }

      const second = await createSimulator({ dataDir: crashed, port: 0, host: '127.0.0.1', logger });
      try {
        const inbox = (await (await fetch(`${second.url}/sim/inbox?accountId=kept`)).json()) as Record<string, any>;
        assert.deepEqual(
          inbox.messages.map((m: Record<string, unknown>) => [m.messageId, m.text]),
          reply.messages.map((m: Record<string, unknown>, i: number) => [m.messageId, texts[i]]),
        );
        // The 50 messages and the link itself wait for a device to take them.
        assert.equal(((await (await fetch(`${second.url}/sim/accounts/kept`)).json()) as Record<string, any>).pendingDeliveries, 51);
      } finally {
        await second.close();
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
      await rm(crashed, { recursive: true, force: true });
    }
  });
});
