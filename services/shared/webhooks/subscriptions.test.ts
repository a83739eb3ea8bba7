import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { AvroCodec } from '../../../schemas/index.js';
import { SecretBox } from '../secrets/index.js';
import { accountSubscriptionId, generateSecret, globalSubscriptionId, partitioningKey, webhookView, type WebhookSubscriptionValue } from './subscriptions.js';

describe('webhook subscriptions', () => {
  it('gives a URL one GLOBAL id and an account one ACCOUNT id', () => {
    assert.equal(globalSubscriptionId('https://a.example/hook'), globalSubscriptionId('https://a.example/hook'));
    assert.notEqual(globalSubscriptionId('https://a.example/hook'), globalSubscriptionId('https://a.example/hook2'));
    assert.match(globalSubscriptionId('https://a.example/hook'), /^global:[0-9a-f]{32}$/);
    assert.equal(accountSubscriptionId('shop-1'), 'acct:shop-1');
  });

  it('partitions ACCOUNT subscriptions by account and GLOBAL ones by their own id', () => {
    assert.equal(partitioningKey({ id: 'acct:shop-1', accountId: 'shop-1' }), 'shop-1');
    assert.equal(partitioningKey({ id: 'global:ab', accountId: null }), 'global:ab');
  });

  it('generates Standard Webhooks secrets: whsec_ and 24 random bytes in base64', () => {
    const secret = generateSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{32}$/);
    assert.equal(Buffer.from(secret.slice('whsec_'.length), 'base64').length, 24);
    assert.notEqual(secret, generateSecret());
  });

  it('shows a subscription without its secret, and the value is a valid wa.webhooks.WebhookSubscription', () => {
    const box = new SecretBox(randomBytes(32));
    const value: WebhookSubscriptionValue = {
      id: 'acct:shop-1',
      scope: 'ACCOUNT',
      accountId: 'shop-1',
      url: 'https://a.example/hook',
      eventTypes: ['message.received'],
      secret: box.seal('whsec_x', 'acct:shop-1'),
      enabled: true,
      disabledReason: null,
      payloadFormat: 'WHAPI',
      createdBy: 'admin',
      createdAt: 1,
      updatedAt: 2,
      version: 1,
    };
    const codec = AvroCodec.load();
    const decoded = codec.decode<WebhookSubscriptionValue>(codec.encode('wa.webhooks.WebhookSubscription', value)).value;
    assert.equal(box.open(decoded.secret, decoded.id).toString(), 'whsec_x');
    const view = webhookView(decoded);
    assert.deepEqual(view, { id: 'acct:shop-1', scope: 'ACCOUNT', accountId: 'shop-1', url: 'https://a.example/hook', events: ['message.received'], enabled: true, disabledReason: null, createdAt: 1, updatedAt: 2 });
    assert.equal(JSON.stringify(view).includes('secret'), false);
  });
});
