/**
 * The one place that names Kafka topics, record keys, headers and the partition rule.
 * Everything else asks this file; nothing spells a topic name itself.
 */
import { partitionForKey } from './murmur2.js';

export type CleanupPolicy = 'delete' | 'compact';

/** What a topic is keyed by: the account id, or an entry id of a compacted topic. */
export type KeyKind = 'accountId' | 'entry' | 'fingerprint';

export interface TopicSpec {
  readonly name: string;
  /** Partition count; every account-data topic has the same one (KAFKA_PARTITIONS). */
  readonly partitions: number;
  readonly cleanup: CleanupPolicy;
  /** Retention in milliseconds; -1 keeps records forever. */
  readonly retentionMs: number;
  readonly key: KeyKind;
  /** Full name of the Avro writer schema of the values; null for the schema topic itself and the JSON-valued API key table. */
  readonly valueSchema: string | null;
  readonly description: string;
  /** Largest record the topic accepts, when above the broker default (1 MB). */
  readonly maxMessageBytes?: number;
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Fixed topic names of the architecture. */
export const TOPIC = {
  commands: 'wa.commands.v1',
  commandResults: 'wa.command-results.v1',
  conversation: 'wa.conversation.v1',
  account: 'wa.account.v1',
  presence: 'wa.presence.v1',
  sessionState: 'wa.session-state.v1',
  webhooks: 'wa.webhooks.v1',
  schemas: 'wa.schemas.v1',
  webhooksDlq: 'wa.webhooks.dlq.v1',
  webhookAttempts: 'wa.webhooks.attempts.v1',
  apiKeys: 'wa.api-keys.v1',
  deadLetters: 'wa.dead-letters.v1',
} as const;

/** Webhook retry tiers: one delay topic per tier, so a slow tier never blocks a fast one. */
export const WEBHOOK_RETRY_TIERS = [
  { label: '5s', delayMs: 5_000 },
  { label: '5m', delayMs: 5 * 60_000 },
  { label: '30m', delayMs: 30 * 60_000 },
  { label: '2h', delayMs: 2 * HOUR },
  { label: '5h', delayMs: 5 * HOUR },
  { label: '10h', delayMs: 10 * HOUR },
] as const;

/** Name of the retry topic of one tier, e.g. `wa.webhooks.retry.5m.v1`. */
export function webhookRetryTopic(label: (typeof WEBHOOK_RETRY_TIERS)[number]['label']): string {
  return `wa.webhooks.retry.${label}.v1`;
}

/** Event topics every event consumer (projector, analytics, webhooks) reads. */
export const EVENT_TOPICS = [TOPIC.conversation, TOPIC.account, TOPIC.presence] as const;

/** Every topic of the architecture, with its partitions, retention and compaction. */
export function topicCatalog(partitions: number): TopicSpec[] {
  const accountTopic = (
    name: string,
    valueSchema: string,
    retentionMs: number,
    description: string,
  ): TopicSpec => ({ name, partitions, cleanup: 'delete', retentionMs, key: 'accountId', valueSchema, description });
  const compacted = (name: string, valueSchema: string | null, description: string): TopicSpec => ({
    name,
    partitions,
    cleanup: 'compact',
    retentionMs: -1,
    key: 'entry',
    valueSchema,
    description,
  });
  return [
    accountTopic(TOPIC.commands, 'wa.commands.Command', 7 * DAY, 'commands from the API'),
    accountTopic(TOPIC.commandResults, 'wa.commands.CommandResult', 7 * DAY, 'one result per command'),
    accountTopic(TOPIC.conversation, 'wa.conversation.ConversationEvent', -1, 'messages and chats: system of record'),
    accountTopic(TOPIC.account, 'wa.account.AccountEvent', -1, 'account lifecycle, connection, contacts, groups'),
    accountTopic(TOPIC.presence, 'wa.presence.PresenceEvent', DAY, 'presence and typing'),
    // Baileys' app-state sync versions of a busy account outgrow the 1 MB default.
    { ...compacted(TOPIC.sessionState, 'wa.session.SessionStateEntry', 'encrypted Baileys credentials and keys'), maxMessageBytes: 16 * 1_048_576 },
    compacted(TOPIC.webhooks, 'wa.webhooks.WebhookSubscription', 'webhook subscriptions'),
    // JSON values (content-type application/json): an internal table of hashes that only the API reads.
    compacted(TOPIC.apiKeys, null, 'API keys, stored as SHA-256 hashes'),
    {
      name: TOPIC.schemas,
      partitions: 1,
      cleanup: 'compact',
      retentionMs: -1,
      key: 'fingerprint',
      valueSchema: null,
      description: 'every writer schema, keyed by its CRC-64-AVRO fingerprint',
    },
    // A delivery carries its whole event (up to the broker's 1 MB) plus its own fields.
    ...WEBHOOK_RETRY_TIERS.map((tier) => ({
      ...accountTopic(webhookRetryTopic(tier.label), 'wa.webhooks.WebhookDelivery', 14 * DAY, `webhook retries after ${tier.label}`),
      maxMessageBytes: 2 * 1_048_576,
    })),
    { ...accountTopic(TOPIC.webhooksDlq, 'wa.webhooks.WebhookDelivery', 14 * DAY, 'dead webhook deliveries'), maxMessageBytes: 2 * 1_048_576 },
    accountTopic(TOPIC.webhookAttempts, 'wa.webhooks.WebhookAttempt', 14 * DAY, 'webhook delivery log: one record per attempt'),
    // A letter sits on its record's partition and carries the record's original bytes (up to the broker's 1 MB).
    { ...accountTopic(TOPIC.deadLetters, 'wa.common.DeadLetter', 30 * DAY, 'records a consumer could not use, with their bytes and why'), maxMessageBytes: 2 * 1_048_576 },
  ];
}

/** Kafka config entries that realise a topic spec on the broker. */
export function topicConfigEntries(spec: TopicSpec): Record<string, string> {
  const entries: Record<string, string> = {
    'cleanup.policy': spec.cleanup,
    'retention.ms': String(spec.retentionMs),
  };
  if (spec.maxMessageBytes !== undefined) entries['max.message.bytes'] = String(spec.maxMessageBytes);
  if (spec.cleanup === 'compact') {
    entries['min.compaction.lag.ms'] = String(60_000);
    entries['delete.retention.ms'] = String(DAY);
  }
  return entries;
}

/** The partition rule: every account's records land on murmur2(accountId) % partitions. */
export function partitionForAccount(accountId: string, partitions: number): number {
  return partitionForKey(accountId, partitions);
}

/** Header on a command result naming the offset of the wa.commands.v1 record it answers (a replay names its own copy's). */
export const COMMAND_OFFSET_HEADER = 'wa_command_offset';

/** Header names carried by every record (CloudEvents Kafka binding plus W3C trace context). */
export const HEADER = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  specVersion: 'ce_specversion',
  contentType: 'content-type',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

export const AVRO_CONTENT_TYPE = 'application/avro';
export const JSON_CONTENT_TYPE = 'application/json';

/** Consumer group of the webhooks role: it owns partition p of the event topics and of every retry topic together. */
export const WEBHOOKS_GROUP = 'wa-webhooks';

/** Consumer group of the connectors; its partition assignment decides which sessions run where. */
export const CONNECTOR_GROUP = 'wa-connectors';
