import { createHmac } from 'node:crypto';
import { WaError } from '../../shared/index.js';
import { webhookSecretKey } from './webhookSecretKey.js';

/** One delivery to sign: `id` is the delivery id (stable across retries), `timestamp` in seconds. */
export interface WebhookToSign {
  id: string;
  /** Seconds since the epoch, the time of this attempt. */
  timestamp: number;
  /** The exact body sent (the signature covers its UTF-8 bytes). */
  body: string;
  /** `whsec_<base64>`. */
  secret: string;
}

/** The three Standard Webhooks headers of a signed delivery (a type, so it fits any header record). */
export type WebhookSignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** HMAC-SHA256 of `id.timestamp.body` with the secret's key: the bytes whose base64 follows `v1,`. */
export function webhookSignature(key: Buffer, id: string, timestamp: number | string, body: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(body).digest();
}

/** The Standard Webhooks headers for one delivery attempt (`webhook-signature: v1,<base64>`). */
export function signWebhook({ id, timestamp, body, secret }: WebhookToSign): WebhookSignatureHeaders {
  const key = webhookSecretKey(secret);
  if (typeof id !== 'string' || id.length === 0) throw new WaError('INVALID_ARGUMENT', 'id must be a non-empty string', { field: 'id' });
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new WaError('INVALID_ARGUMENT', 'timestamp must be whole seconds since the epoch', { field: 'timestamp' });
  }
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${webhookSignature(key, id, timestamp, body).toString('base64')}`,
  };
}
