import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../../schemas/index.js';
import { WaError, type Logger } from '../../shared/index.js';
import { KafkaProducer, recordHeaders, type ConsumedRecord, type TopicSpec } from '../../shared/kafka/index.js';
import type { SecretBox } from '../../shared/secrets/index.js';
import type { WebhookRegistry, WebhookView } from '../ApiServices.js';
import { API_SOURCE } from '../commands/index.js';
import { TailConsumer } from '../events/index.js';
import { checkPublicUrl } from '../../shared/net/index.js';
import {
  WILDCAT_DEFAULT_EVENTS,
  accountSubscriptionId,
  generateSecret,
  globalSubscriptionId,
  partitioningKey,
  webhookView,
  type WebhookSubscriptionValue,
} from './subscriptions.js';

const SCHEMA = 'wa.webhooks.WebhookSubscription';

export interface KafkaWebhookRegistryOptions {
  kafka: Kafka;
  /** The process's producer; when absent the registry connects its own and disconnects it on stop(). */
  producer?: KafkaProducer;
  codec: AvroCodec;
  /** wa.webhooks.v1 (compacted). */
  topic: TopicSpec;
  /** Seals the signing secrets (SESSION_ENCRYPTION_KEY). */
  box: SecretBox;
  /** This API process; names its reader group `wa-api-webhooks.<instanceId>` unless `groupId` is given. */
  instanceId: string;
  groupId?: string;
  logger: Logger;
  now?: () => number;
  /** Accept webhook URLs naming private or loopback addresses (WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate?: boolean;
  /** How long a call waits for the table to be read, or for its own write to come back (default 30 s). */
  waitMs?: number;
}

/**
 * Webhook subscriptions on the compacted wa.webhooks.v1. Every API process reads the topic
 * from its beginning into a table and keeps following it; it answers only once caught up.
 * A write is answered only after this process has read it back, so a caller (and the next
 * request to this process) sees its own change. Secrets are sealed before they are written
 * and shown once, when the system generated them. Changes to one subscription are serialised
 * within a process; across processes the last write wins (`version` shows it).
 */
export class KafkaWebhookRegistry implements WebhookRegistry {
  private readonly table = new Map<string, WebhookSubscriptionValue>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly now: () => number;
  private readonly waitMs: number;
  private tail!: TailConsumer;

  private constructor(
    private readonly options: KafkaWebhookRegistryOptions,
    private readonly producer: KafkaProducer,
    private readonly ownsProducer: boolean,
  ) {
    this.now = options.now ?? Date.now;
    this.waitMs = options.waitMs ?? 30_000;
  }

  /** Connects and starts reading the topic; calls wait until the table is caught up. */
  static async start(options: KafkaWebhookRegistryOptions): Promise<KafkaWebhookRegistry> {
    const producer = options.producer ?? (await KafkaProducer.connect(options.kafka, options.logger));
    const registry = new KafkaWebhookRegistry(options, producer, options.producer === undefined);
    try {
      registry.tail = await TailConsumer.start({
        kafka: options.kafka,
        groupId: options.groupId ?? `wa-api-webhooks.${options.instanceId}`,
        topics: [options.topic],
        from: 'beginning',
        logger: options.logger,
        onRecords: (records) => registry.apply(records),
        onFatal: (error) => options.logger.error({ err: error }, 'webhook subscriptions reader stopped'),
      });
    } catch (error) {
      if (registry.ownsProducer) await producer.disconnect().catch(() => undefined);
      throw error;
    }
    return registry;
  }

  /** Resolves once the table holds everything the topic had when this process started. */
  ready(): Promise<void> {
    return this.tail.caughtUp;
  }

  async registerGlobal(input: { url: string; secret: string | null; events: string[] | null; requestedBy: string }): Promise<{ webhook: WebhookView; created: boolean; secret: string | null }> {
    const url = this.checkUrl(input.url);
    await this.caughtUp();
    const id = globalSubscriptionId(url);
    return this.locked(id, async () => {
      const existing = this.table.get(id);
      if (existing?.enabled) return { webhook: webhookView(existing), created: false, secret: null };
      const now = this.now();
      const given = nonEmpty(input.secret);
      const generated = given === null && existing === undefined ? generateSecret() : null;
      const value: WebhookSubscriptionValue = {
        id,
        scope: 'GLOBAL',
        accountId: null,
        url,
        eventTypes: input.events ?? existing?.eventTypes ?? [...WILDCAT_DEFAULT_EVENTS],
        secret: this.sealed(id, given ?? generated, existing),
        enabled: true,
        disabledReason: null,
        payloadFormat: 'WILDCAT',
        createdBy: existing?.createdBy ?? input.requestedBy,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
        version: (existing?.version ?? 0) + 1,
      };
      await this.write(value);
      // A disabled registration of the same URL is enabled again, but it is not a new one.
      return { webhook: webhookView(value), created: existing === undefined, secret: generated };
    });
  }

  async putForAccount(accountId: string, input: { url: string; events: string[]; secret: string | null; enabled: boolean; requestedBy: string }): Promise<{ webhook: WebhookView; secret: string | null }> {
    const url = this.checkUrl(input.url);
    await this.caughtUp();
    const id = accountSubscriptionId(accountId);
    return this.locked(id, async () => {
      const existing = this.table.get(id);
      const now = this.now();
      const given = nonEmpty(input.secret);
      // Replacing the configuration keeps the signing secret unless a new one is given.
      const generated = given === null && existing === undefined ? generateSecret() : null;
      const value: WebhookSubscriptionValue = {
        id,
        scope: 'ACCOUNT',
        accountId,
        url,
        eventTypes: [...input.events],
        secret: this.sealed(id, given ?? generated, existing),
        enabled: input.enabled,
        disabledReason: input.enabled ? null : 'disabled by API',
        payloadFormat: 'WHAPI',
        createdBy: existing?.createdBy ?? input.requestedBy,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
        version: (existing?.version ?? 0) + 1,
      };
      await this.write(value);
      return { webhook: webhookView(value), secret: generated };
    });
  }

  async forAccount(accountId: string): Promise<WebhookView | null> {
    await this.caughtUp();
    const value = this.table.get(accountSubscriptionId(accountId));
    return value === undefined ? null : webhookView(value);
  }

  async list(filter: { accountId?: string } = {}): Promise<WebhookView[]> {
    await this.caughtUp();
    return [...this.table.values()]
      .filter((value) => filter.accountId === undefined || value.accountId === filter.accountId)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map(webhookView);
  }

  async remove(id: string, requestedBy: string): Promise<boolean> {
    await this.caughtUp();
    return this.locked(id, async () => {
      const existing = this.table.get(id);
      if (existing === undefined) return false;
      await this.send(id, partitioningKey(existing), null, 'webhook.subscription.deleted');
      this.options.logger.info({ subscriptionId: id, accountId: existing.accountId, requestedBy }, 'webhook subscription deleted');
      return true;
    });
  }

  /** Stops reading and disconnects an own producer. */
  async stop(): Promise<void> {
    await this.tail.stop();
    if (this.ownsProducer) await this.producer.disconnect().catch(() => undefined);
  }

  private apply(records: readonly ConsumedRecord[]): void {
    for (const record of records) {
      if (record.key === null) continue;
      if (record.value === null) {
        this.table.delete(record.key);
        continue;
      }
      try {
        const value = this.options.codec.decode<WebhookSubscriptionValue>(record.value, SCHEMA).value;
        this.table.set(record.key, value);
      } catch (error) {
        this.options.logger.warn({ err: error, partition: record.partition, offset: record.offset }, 'webhook subscription not decodable; skipped');
      }
    }
  }

  private async write(value: WebhookSubscriptionValue): Promise<void> {
    await this.send(value.id, partitioningKey(value), this.options.codec.encode(SCHEMA, value), 'webhook.subscription');
    this.options.logger.info({ subscriptionId: value.id, accountId: value.accountId, version: value.version }, 'webhook subscription written');
  }

  /** Writes one record (or tombstone) and returns once this process has read it back. */
  private async send(id: string, partitionBy: string, value: Buffer | null, type: string): Promise<void> {
    const now = this.now();
    const [meta] = await this.producer.send(this.options.topic, [
      { accountId: partitionBy, key: id, value, headers: recordHeaders({ id: `${id}@${now}`, type, source: API_SOURCE, time: now }), timestamp: now },
    ]);
    const offset = meta?.baseOffset ?? meta?.offset;
    if (meta === undefined || offset === undefined) throw new WaError('KAFKA', `no offset reported for webhook subscription ${id}`, { retriable: true });
    await this.tail.waitPast(this.options.topic.name, meta.partition, BigInt(offset), this.waitMs);
  }

  /** The sealed secret: a new one when given or generated, else the existing one. */
  private sealed(id: string, secret: string | null, existing: WebhookSubscriptionValue | undefined): WebhookSubscriptionValue['secret'] {
    if (secret !== null) return this.options.box.seal(secret, id);
    if (existing === undefined) throw new WaError('INTERNAL', `no secret for new subscription ${id}`);
    return existing.secret;
  }

  private checkUrl(url: string): string {
    return checkPublicUrl(url.trim(), 'url', { allowPrivate: this.options.allowPrivate ?? false }).href;
  }

  private async caughtUp(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.tail.caughtUp,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new WaError('UNAVAILABLE', `webhook subscriptions not read within ${this.waitMs} ms`)), this.waitMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs `work` after every earlier change of the same subscription in this process. */
  private locked<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    const settled = next.catch(() => undefined);
    this.locks.set(id, settled);
    void settled.then(() => {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    });
    return next;
  }
}

function nonEmpty(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value;
}
