import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../../schemas/index.js';
import { WaError, type Logger } from '../../shared/index.js';
import type { DeadLetterWriter, KafkaProducer, TopicSpec } from '../../shared/kafka/index.js';
import type { SecretBox } from '../../shared/secrets/index.js';
import type { WebhookRegistry, WebhookView } from '../ApiServices.js';
import { API_SOURCE } from '../commands/index.js';
import { checkPublicUrl } from '../../shared/net/index.js';
import {
  SubscriptionLog,
  WILDCAT_DEFAULT_EVENTS,
  accountSubscriptionId,
  generateSecret,
  globalSubscriptionId,
  webhookView,
  type WebhookSubscriptionValue,
} from '../../shared/webhooks/index.js';

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
  /** Where subscription records that cannot be read go. */
  deadLetters?: DeadLetterWriter;
  /** A reader stopped for good (not by a broker outage, which it rides out); by default only logged. The roles fail, so a supervisor restarts them. */
  onFatal?: (error: WaError) => void;
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
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly now: () => number;

  private constructor(
    private readonly options: KafkaWebhookRegistryOptions,
    private readonly log: SubscriptionLog,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Connects and starts reading the topic; calls wait until the table is caught up. */
  static async start(options: KafkaWebhookRegistryOptions): Promise<KafkaWebhookRegistry> {
    const log = await SubscriptionLog.start({
      kafka: options.kafka,
      ...(options.producer === undefined ? {} : { producer: options.producer }),
      codec: options.codec,
      topic: options.topic,
      groupId: options.groupId ?? `wa-api-webhooks.${options.instanceId}`,
      source: API_SOURCE,
      logger: options.logger,
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.waitMs === undefined ? {} : { waitMs: options.waitMs }),
      ...(options.deadLetters === undefined ? {} : { deadLetters: options.deadLetters }),
      ...(options.onFatal === undefined ? {} : { onFatal: options.onFatal }),
    });
    return new KafkaWebhookRegistry(options, log);
  }

  /** Resolves once the table holds everything the topic had when this process started. */
  ready(): Promise<void> {
    return this.log.ready();
  }

  async registerGlobal(input: { url: string; secret: string | null; events: string[] | null; requestedBy: string }): Promise<{ webhook: WebhookView; created: boolean; secret: string | null }> {
    const url = this.checkUrl(input.url);
    await this.log.caughtUp();
    const id = globalSubscriptionId(url);
    return this.locked(id, async () => {
      const existing = this.log.get(id);
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
      await this.log.write(value);
      // A disabled registration of the same URL is enabled again, but it is not a new one.
      return { webhook: webhookView(value), created: existing === undefined, secret: generated };
    });
  }

  async putForAccount(accountId: string, input: { url: string; events: string[]; secret: string | null; enabled: boolean; requestedBy: string }): Promise<{ webhook: WebhookView; secret: string | null }> {
    const url = this.checkUrl(input.url);
    await this.log.caughtUp();
    const id = accountSubscriptionId(accountId);
    return this.locked(id, async () => {
      const existing = this.log.get(id);
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
      await this.log.write(value);
      return { webhook: webhookView(value), secret: generated };
    });
  }

  async forAccount(accountId: string): Promise<WebhookView | null> {
    await this.log.caughtUp();
    const value = this.log.get(accountSubscriptionId(accountId));
    return value === undefined ? null : webhookView(value);
  }

  async list(filter: { accountId?: string } = {}): Promise<WebhookView[]> {
    await this.log.caughtUp();
    return [...this.log.values()]
      .filter((value) => filter.accountId === undefined || value.accountId === filter.accountId)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map(webhookView);
  }

  async remove(id: string, requestedBy: string): Promise<boolean> {
    await this.log.caughtUp();
    return this.locked(id, async () => {
      const existing = this.log.get(id);
      if (existing === undefined) return false;
      await this.log.remove(existing);
      this.options.logger.info({ subscriptionId: id, accountId: existing.accountId, requestedBy }, 'webhook subscription deleted');
      return true;
    });
  }

  /** Stops reading (and disconnects the log's own producer). */
  async stop(): Promise<void> {
    await this.log.stop();
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
