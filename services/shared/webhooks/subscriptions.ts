import { createHash, randomBytes } from 'node:crypto';
import type { EncryptedValue } from '../secrets/index.js';

/** A webhook subscription as the API shows it (the secret only on creation). */
export interface WebhookView {
  id: string;
  scope: 'GLOBAL' | 'ACCOUNT';
  accountId: string | null;
  url: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: number;
  updatedAt: number;
}

/** `wa.webhooks.WebhookSubscription` as the codec reads and writes it. */
export interface WebhookSubscriptionValue {
  id: string;
  scope: 'UNKNOWN' | 'GLOBAL' | 'ACCOUNT';
  accountId: string | null;
  url: string;
  eventTypes: string[];
  /** The signing secret, sealed with AAD = the subscription id. */
  secret: EncryptedValue;
  enabled: boolean;
  disabledReason: string | null;
  payloadFormat: 'UNKNOWN' | 'WILDCAT' | 'WHAPI' | 'ENVELOPE';
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  version: number;
}

/** What a WILDCAT webhook receives when it names no events: messages, both directions (its payload is the flat message body). */
export const WILDCAT_DEFAULT_EVENTS: readonly string[] = ['message.received', 'message.sent'];

/** The id of a GLOBAL subscription: one per URL, so registering a URL twice finds the first. */
export function globalSubscriptionId(url: string): string {
  return `global:${createHash('sha256').update(url, 'utf8').digest('hex').slice(0, 32)}`;
}

/** The id of an account's subscription: an account has one (WHAPI `PUT /channels/:id/webhook` replaces it). */
export function accountSubscriptionId(accountId: string): string {
  return `acct:${accountId}`;
}

/**
 * The partitioning key of a subscription record. The architecture puts compacted records on
 * their account's partition; a GLOBAL subscription has no account, so it goes where its own
 * key hashes to (what the Java client's default partitioner does with the key). Either way a
 * key always lands on one partition, which compaction needs.
 */
export function partitioningKey(value: Pick<WebhookSubscriptionValue, 'id' | 'accountId'>): string {
  return value.accountId ?? value.id;
}

/** A fresh Standard Webhooks signing secret: `whsec_` + base64 of 24 random bytes. */
export function generateSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** A subscription as the API shows it (never its secret). */
export function webhookView(value: WebhookSubscriptionValue): WebhookView {
  return {
    id: value.id,
    scope: value.scope === 'ACCOUNT' ? 'ACCOUNT' : 'GLOBAL',
    accountId: value.accountId,
    url: value.url,
    events: [...value.eventTypes],
    enabled: value.enabled,
    disabledReason: value.disabledReason,
    createdAt: value.createdAt,
    updatedAt: value.updatedAt,
  };
}
