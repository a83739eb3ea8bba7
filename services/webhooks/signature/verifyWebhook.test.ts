import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { WaError } from '../../shared/index.js';
import { signWebhook } from './signWebhook.js';
import { verifyWebhook } from './verifyWebhook.js';

const secret = `whsec_${randomBytes(24).toString('base64')}`;
const body = JSON.stringify({ event: 'message.received', data: { text: 'hi' } });
const NOW = 1_750_000_000_000;
const TS = NOW / 1000;
const signed = signWebhook({ id: 'evt_1', timestamp: TS, body, secret });
const unauthorized = (field: string) => (error: unknown) => error instanceof WaError && error.code === 'UNAUTHORIZED' && error.field === field;

describe('verifyWebhook: how a receiver checks a delivery', () => {
  it('accepts what the standardwebhooks library signs', () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const theirs = new Webhook(secret).sign('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', new Date(nowSeconds * 1000), body);
    const headers = { 'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', 'webhook-timestamp': String(nowSeconds), 'webhook-signature': theirs };
    assert.deepEqual(verifyWebhook(headers, body, secret), { id: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', timestamp: nowSeconds });
  });

  it('accepts our own signature, with header names in any case and the body as bytes', () => {
    assert.deepEqual(verifyWebhook(signed, body, secret, { now: NOW }), { id: 'evt_1', timestamp: TS });
    const shouted = { 'Webhook-Id': signed['webhook-id'], 'WEBHOOK-TIMESTAMP': signed['webhook-timestamp'], 'Webhook-Signature': signed['webhook-signature'] };
    assert.deepEqual(verifyWebhook(shouted, Buffer.from(body), secret, { now: NOW }), { id: 'evt_1', timestamp: TS });
  });

  it('refuses a tampered body, id or timestamp', () => {
    assert.throws(() => verifyWebhook(signed, `${body} `, secret, { now: NOW }), unauthorized('webhook-signature'));
    assert.throws(() => verifyWebhook({ ...signed, 'webhook-id': 'evt_2' }, body, secret, { now: NOW }), unauthorized('webhook-signature'));
    assert.throws(() => verifyWebhook({ ...signed, 'webhook-timestamp': String(TS + 1) }, body, secret, { now: NOW }), unauthorized('webhook-signature'));
    assert.throws(() => verifyWebhook({ ...signed, 'webhook-timestamp': `0${TS}` }, body, secret, { now: NOW }), unauthorized('webhook-signature'), 'the timestamp as sent is what was signed');
  });

  it('refuses a signature made with another secret', () => {
    const other = `whsec_${randomBytes(24).toString('base64')}`;
    assert.throws(() => verifyWebhook(signed, body, other, { now: NOW }), unauthorized('webhook-signature'));
  });

  it('accepts when any one of several space-separated signatures matches (secret rotation), v1 only', () => {
    const good = signed['webhook-signature'];
    const bytes = good.slice('v1,'.length);
    const wrong = `v1,${randomBytes(32).toString('base64')}`;
    for (const list of [`${wrong} ${good}`, `v1a,${bytes} ${good}`, `${good} ${wrong}`, `garbage ${good}`]) {
      assert.deepEqual(verifyWebhook({ ...signed, 'webhook-signature': list }, body, secret, { now: NOW }), { id: 'evt_1', timestamp: TS }, list);
    }
    assert.deepEqual(verifyWebhook({ ...signed, 'webhook-signature': [wrong, good] }, body, secret, { now: NOW }).id, 'evt_1', 'one signature per header line');
    for (const list of [wrong, `${wrong} ${wrong}`, `v2,${bytes}`, bytes, `v1,${bytes.slice(0, -4)}`, 'v1,']) {
      assert.throws(() => verifyWebhook({ ...signed, 'webhook-signature': list }, body, secret, { now: NOW }), unauthorized('webhook-signature'), list);
    }
  });

  it('refuses a timestamp outside the tolerance, either way', () => {
    for (const offset of [-300, 0, 300]) {
      assert.equal(verifyWebhook(signed, body, secret, { now: NOW + offset * 1000 }).id, 'evt_1', String(offset));
    }
    for (const offset of [-301, 301, 86_400]) {
      assert.throws(() => verifyWebhook(signed, body, secret, { now: NOW + offset * 1000 }), unauthorized('webhook-timestamp'), String(offset));
    }
    assert.throws(() => verifyWebhook(signed, body, secret, { now: NOW + 11_000, toleranceSeconds: 10 }), unauthorized('webhook-timestamp'));
    assert.throws(() => verifyWebhook(signed, body, secret), unauthorized('webhook-timestamp'), 'the clock by default: the vector is from 2025');
  });

  it('refuses missing or malformed headers, naming the header', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const { [name]: _dropped, ...rest } = signed;
      assert.throws(() => verifyWebhook(rest, body, secret, { now: NOW }), unauthorized(name), name);
      assert.throws(() => verifyWebhook({ ...signed, [name]: '  ' }, body, secret, { now: NOW }), unauthorized(name), name);
    }
    for (const timestamp of ['soon', '-1', '1.5', '1e9', '9'.repeat(20)]) {
      assert.throws(() => verifyWebhook({ ...signed, 'webhook-timestamp': timestamp }, body, secret, { now: NOW }), unauthorized('webhook-timestamp'), timestamp);
    }
    assert.throws(() => verifyWebhook({ ...signed, 'webhook-id': ['evt_1', 'evt_2'] }, body, secret, { now: NOW }), unauthorized('webhook-id'));
  });

  it('refuses a malformed secret as a bad argument naming `secret`', () => {
    assert.throws(
      () => verifyWebhook(signed, body, 'plain-secret', { now: NOW }),
      (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'secret',
    );
  });
});
