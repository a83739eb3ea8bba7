import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kafka } from 'kafkajs';
import type { AvroCodec } from '../../schemas/index.js';
import { KafkaProducer, WEBHOOK_RETRY_TIERS, recordHeaders, type TopicSpec } from '../../services/shared/kafka/index.js';
import type { SecretBox } from '../../services/shared/secrets/index.js';
import { generateSecret, type SubscriptionLog, type WebhookSubscriptionValue } from '../../services/shared/webhooks/index.js';
import type { DispatcherTopics } from '../../services/webhooks/index.js';
import { freshTopic } from './broker.js';

/** One request a receiver got. */
export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The W3C trace context the delivery carried ('' when none). */
  traceparent: string;
  /** The status the receiver answered. */
  status: number;
  at: number;
}

/**
 * A real HTTP webhook endpoint on loopback. `respond` decides each answer's status (200 unless
 * changed); every request is kept, with its Standard Webhooks headers and raw body.
 */
export class WebhookReceiver {
  readonly requests: ReceivedWebhook[] = [];
  respond: (request: { id: string; body: string }) => number | { status: number; headers: Record<string, string> } = () => 200;
  /** How long each answer takes. */
  delayMs = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/hook'): Promise<WebhookReceiver> {
    let receiver!: WebhookReceiver;
    const server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const id = header(request, 'webhook-id');
        const answer = receiver.respond({ id, body });
        const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
        const reply = (): void => {
          receiver.requests.push({ id, timestamp: header(request, 'webhook-timestamp'), signature: header(request, 'webhook-signature'), body, traceparent: header(request, 'traceparent'), status, at: Date.now() });
          response.writeHead(status, headers).end(status < 300 ? 'ok' : 'no');
        };
        if (receiver.delayMs > 0) setTimeout(reply, receiver.delayMs);
        else reply();
      });
    });
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}${path}`);
    return receiver;
  }

  /** The requests it acknowledged (2xx), in arrival order. */
  acknowledged(): ReceivedWebhook[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function header(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Fresh topics for a dispatcher and its subscriptions, `partitions` each. */
export async function freshWebhookTopics(kafka: Kafka, partitions: number): Promise<DispatcherTopics & { subscriptions: TopicSpec }> {
  const events = [
    await freshTopic(kafka, 'wh-conversation', { partitions, valueSchema: 'wa.conversation.ConversationEvent' }),
    await freshTopic(kafka, 'wh-account', { partitions, valueSchema: 'wa.account.AccountEvent' }),
    await freshTopic(kafka, 'wh-presence', { partitions, valueSchema: 'wa.presence.PresenceEvent' }),
  ];
  const retries: TopicSpec[] = [];
  for (const tier of WEBHOOK_RETRY_TIERS) retries.push(await freshTopic(kafka, `wh-retry-${tier.label}`, { partitions, valueSchema: 'wa.webhooks.WebhookDelivery' }));
  return {
    events,
    retries,
    dlq: await freshTopic(kafka, 'wh-dlq', { partitions, valueSchema: 'wa.webhooks.WebhookDelivery' }),
    attempts: await freshTopic(kafka, 'wh-attempts', { partitions, valueSchema: 'wa.webhooks.WebhookAttempt' }),
    deadLetters: await freshTopic(kafka, 'wh-dead-letters', { partitions, valueSchema: 'wa.common.DeadLetter' }),
    subscriptions: await freshTopic(kafka, 'wh-subscriptions', { partitions, cleanup: 'compact', key: 'entry', valueSchema: 'wa.webhooks.WebhookSubscription' }),
  };
}

/** Writes a subscription the way the API does (sealed secret) and returns it with its secret. */
export async function subscribe(
  log: SubscriptionLog,
  box: SecretBox,
  input: { id: string; url: string; scope?: 'GLOBAL' | 'ACCOUNT'; accountId?: string; eventTypes?: string[]; format?: WebhookSubscriptionValue['payloadFormat'] },
): Promise<{ value: WebhookSubscriptionValue; secret: string }> {
  const secret = generateSecret();
  const now = Date.now();
  const value: WebhookSubscriptionValue = {
    id: input.id,
    scope: input.scope ?? 'GLOBAL',
    accountId: input.accountId ?? null,
    url: input.url,
    eventTypes: input.eventTypes ?? [],
    secret: box.seal(secret, input.id),
    enabled: true,
    disabledReason: null,
    payloadFormat: input.format ?? 'WHAPI',
    createdBy: 'test',
    createdAt: now - 1,
    updatedAt: now,
    version: 1,
  };
  await log.write(value);
  return { value, secret };
}

/** A text `message.received` of `chatJid`, the `sequence`-th event of its account. */
export function chatMessageEvent(accountId: string, chatJid: string, sequence: number, text = `message ${sequence}`): Record<string, unknown> {
  const at = Date.now();
  return {
    eventId: `evt-${accountId}-${sequence}`,
    type: 'message.received',
    accountId,
    chatJid,
    sequence,
    occurredAt: at,
    recordedAt: at,
    correlationId: `corr-${sequence}`,
    causationId: null,
    source: 'LIVE',
    driver: 'simulator',
    data: {
      'wa.conversation.MessageRecorded': {
        message: {
          key: { remoteJid: chatJid, id: `3EB0${sequence.toString(16).toUpperCase().padStart(12, '0')}`, fromMe: false },
          senderJid: chatJid,
          pushName: 'Ana',
          timestamp: at,
          kind: 'TEXT',
          content: { 'wa.conversation.TextContent': { text } },
        },
        direction: 'INBOUND',
        upsertType: 'NOTIFY',
      },
    },
  };
}

/** Produces conversation events (each `{ accountId, ... }`) in order, as the connector would. */
export async function produceConversation(producer: KafkaProducer, codec: AvroCodec, topic: TopicSpec, events: readonly Record<string, unknown>[]): Promise<void> {
  await producer.send(
    topic,
    events.map((event) => ({
      accountId: String(event.accountId),
      value: codec.encode('wa.conversation.ConversationEvent', event),
      headers: recordHeaders({ id: String(event.eventId), type: String(event.type), source: 'test', time: Date.now() }),
    })),
  );
}
