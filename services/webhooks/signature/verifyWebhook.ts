import { timingSafeEqual } from 'node:crypto';
import { WaError } from '../../shared/index.js';
import { webhookSignature } from './signWebhook.js';
import { webhookSecretKey } from './webhookSecretKey.js';

/** Request headers as Node gives them (`IncomingHttpHeaders`) or as a plain record; names in any case. */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from `now`, either way (replay protection). */
  toleranceSeconds?: number;
  /** Milliseconds since the epoch; defaults to the clock. */
  now?: number;
}

/** A delivery whose signature matched: its id (to de-duplicate) and timestamp (seconds). */
export interface VerifiedWebhook {
  id: string;
  timestamp: number;
}

const refused = (field: string, message: string): WaError => new WaError('UNAUTHORIZED', message, { field });

function header(headers: WebhookHeaders, name: string): string {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  // Several signature header lines carry several signatures; several ids or timestamps are ambiguous.
  const text = typeof value === 'string' ? value : value !== undefined && (value.length === 1 || name === 'webhook-signature') ? value.join(' ') : undefined;
  if (text === undefined || text.trim() === '') throw refused(name, `${name} header missing`);
  return text.trim();
}

/**
 * Checks a Standard Webhooks delivery: one of the space-separated `v1,<base64>` signatures must
 * match (compared in constant time) and `webhook-timestamp` must be within the tolerance of
 * `now`. Throws an UNAUTHORIZED WaError naming the failing header, or INVALID_ARGUMENT naming
 * `secret` for a malformed secret.
 */
export function verifyWebhook(headers: WebhookHeaders, body: string | Uint8Array, secret: string, options: VerifyWebhookOptions = {}): VerifiedWebhook {
  const key = webhookSecretKey(secret);
  const toleranceSeconds = options.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor((options.now ?? Date.now()) / 1000);
  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!/^\d{1,15}$/.test(timestampText)) throw refused('webhook-timestamp', 'webhook-timestamp is not a number of seconds');
  const timestamp = Number(timestampText);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) throw refused('webhook-timestamp', 'webhook-timestamp is outside the tolerance');
  // Signed as sent: the header text, not the number re-printed.
  const expected = webhookSignature(key, id, timestampText, body);
  let matched = false;
  for (const versioned of signatures.split(' ')) {
    const comma = versioned.indexOf(',');
    if (comma < 0 || versioned.slice(0, comma) !== 'v1') continue;
    const given = Buffer.from(versioned.slice(comma + 1), 'base64');
    // No early exit: every candidate is compared, each in constant time.
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) throw refused('webhook-signature', 'no webhook-signature matches');
  return { id, timestamp };
}
