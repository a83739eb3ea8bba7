import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { WaError } from '../../shared/index.js';
import { signWebhook } from './signWebhook.js';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const freshSecret = (): string => `whsec_${randomBytes(24).toString('base64')}`;
const invalid = (field: string) => (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === field;

describe('signWebhook: Standard Webhooks signatures', () => {
  it('signs a known vector: the value node:crypto computes, and the one the spec publishes', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const timestamp = 1614265330;
    const body = '{"test": 2432232314}';
    const independent = createHmac('sha256', Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64')).update(`${id}.${timestamp}.${body}`).digest('base64');
    const headers = signWebhook({ id, timestamp, body, secret });
    assert.deepEqual(headers, { 'webhook-id': id, 'webhook-timestamp': '1614265330', 'webhook-signature': `v1,${independent}` });
    assert.equal(headers['webhook-signature'], 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('is accepted by the standardwebhooks library, for a JSON body with non-ASCII text', () => {
    const secret = freshSecret();
    const body = JSON.stringify({ event: 'message.received', data: { text: 'olá 👋 مرحبا' } });
    const headers = signWebhook({ id: 'evt_1', timestamp: nowSeconds(), body, secret });
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
  });

  it('is accepted by the standardwebhooks library for any key, id and body', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme-ascii' }),
        fc.string({ maxLength: 300, unit: 'grapheme' }),
        (key, id, body) => {
          const secret = `whsec_${Buffer.from(key).toString('base64')}`;
          const headers = signWebhook({ id, timestamp: nowSeconds(), body, secret });
          new Webhook(secret).verify(body, headers, { jsonParse: false });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is refused by the library once the body, id or timestamp changes', () => {
    const secret = freshSecret();
    const body = '{"a":1}';
    const headers = signWebhook({ id: 'evt_1', timestamp: nowSeconds(), body, secret });
    const webhook = new Webhook(secret);
    assert.throws(() => webhook.verify('{"a":2}', headers), /No matching signature/);
    assert.throws(() => webhook.verify(body, { ...headers, 'webhook-id': 'evt_2' }), /No matching signature/);
    assert.throws(() => webhook.verify(body, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1) }), /No matching signature/);
  });

  it('refuses a secret not of the form whsec_<base64>, naming the field and never echoing it', () => {
    for (const secret of ['', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_', 'whsec_not base64!', 'whsec_YWI', 'whsec_YW=j', 'WHSEC_YWJj']) {
      assert.throws(() => signWebhook({ id: 'evt_1', timestamp: 1, body: '{}', secret }), (error: unknown) => invalid('secret')(error) && (secret.length < 8 || !(error as Error).message.includes(secret)), secret);
    }
  });

  it('refuses an empty id and a timestamp that is not whole seconds', () => {
    const secret = freshSecret();
    assert.throws(() => signWebhook({ id: '', timestamp: 1, body: '{}', secret }), invalid('id'));
    for (const timestamp of [-1, 1.5, Number.NaN, Date.now() * 1e6]) {
      assert.throws(() => signWebhook({ id: 'evt_1', timestamp, body: '{}', secret }), invalid('timestamp'), String(timestamp));
    }
  });
});
