import type { Readable } from 'node:stream';
import type { CommandErrorValue, CommandPayload, CommandType } from '../shared/commands/index.js';
import type { MediaStore, StoredMedia } from '../shared/index.js';
import type { AnalyticsQueries } from '../../projections/analytics/index.js';
import type { ReadModels } from '../../projections/readModels/index.js';
import type { WebhookView } from '../shared/webhooks/index.js';

/** `wa.commands.CommandResult` as the codec decodes it (`result` is the wrapped union, or null). */
export interface CommandResultValue {
  commandId: string;
  accountId: string;
  type: string;
  status: 'SUCCEEDED' | 'FAILED' | 'REJECTED' | 'EXPIRED';
  completedAt: number;
  error: CommandErrorValue | null;
  /** `{ 'wa.commands.MessageSentResult': {...} }` and so on, or null. */
  result: Record<string, unknown> | null;
  eventIds: string[];
  durationMs: number | null;
  correlationId: string;
  replayed: boolean;
}

/** What a route asks the command bus to do. */
export interface CommandRequest {
  accountId: string;
  type: CommandType;
  /** The wrapped payload branch, e.g. `{ 'wa.commands.SendMessage': {...} }`. */
  payload: CommandPayload;
  /** The request id: the command's correlationId. */
  requestId: string;
  /** The client's Idempotency-Key: the commandId is derived from it (same key, same command). */
  idempotencyKey: string | null;
  /** The key id that asked (`admin` or an account key id); never the key itself. */
  requestedBy: string;
  /** Stop waiting when the client goes away (the command still runs). */
  signal?: AbortSignal;
}

/** The outcome of a command as far as the request is concerned. */
export type CommandAnswer =
  /** A result arrived within the wait. */
  | { kind: 'completed'; result: CommandResultValue }
  /** The wait ran out: the client gets 202 and polls `GET /commands/{commandId}`. */
  | { kind: 'pending'; commandId: string };

/** Writes commands to wa.commands.v1 and waits for their results on wa.command-results.v1. */
export interface CommandBus {
  send(request: CommandRequest): Promise<CommandAnswer>;
  /** A command's result when known (this instance saw it, or the read model has it); `pending` when it was sent but not answered yet; null when unknown. */
  status(commandId: string): Promise<CommandResultValue | 'pending' | null>;
}

/** Media for sends and the media routes: uploads, base64 and URLs become media ids. */
export interface MediaService {
  readonly store: MediaStore;
  /**
   * A WHAPI `media` field (http(s) URL or base64, with or without a `data:` prefix) as a
   * media reference: base64 is decoded into the store; a URL is passed on for the connector
   * to fetch (after the same private-address checks as webhooks). Throws 400 naming `field`.
   */
  fromField(value: string, field: string, options?: { mimetype?: string | null }): Promise<MediaReference>;
  /** Streams a stored file with its metadata; NOT_FOUND when absent. */
  open(mediaId: string): Promise<{ media: StoredMedia; stream: Readable }>;
}

/** What a send command's MediaRef.mediaId carries: a content address in our store, or a URL. */
export interface MediaReference {
  mediaId: string;
  mimetype: string | null;
  size: number | null;
}

export type { WebhookView };

/** Webhook subscriptions on wa.webhooks.v1 (compacted): the API writes them, every instance reads them. */
export interface WebhookRegistry {
  /** WILDCAT `POST /webhooks`: a GLOBAL subscription in WILDCAT format; `created: false` when the URL was already registered. */
  registerGlobal(input: { url: string; secret: string | null; events: string[] | null; requestedBy: string }): Promise<{ webhook: WebhookView; created: boolean; secret: string | null }>;
  /** WHAPI `PUT /channels/:id/webhook`: the account's subscription in WHAPI format, created or replaced. */
  putForAccount(accountId: string, input: { url: string; events: string[]; secret: string | null; enabled: boolean; requestedBy: string }): Promise<{ webhook: WebhookView; secret: string | null }>;
  forAccount(accountId: string): Promise<WebhookView | null>;
  list(filter?: { accountId?: string }): Promise<WebhookView[]>;
  /** Tombstones a subscription; false when unknown. */
  remove(id: string, requestedBy: string): Promise<boolean>;
}

/** Which deliveries of a subscription `POST .../redeliver` queues again. */
export type RedeliverySelection =
  /** The one event's delivery (its source coordinates come from the delivery log). */
  | { kind: 'event'; eventId: string }
  /** Every dead letter: per delivery its latest attempt ended DEAD, GONE or DISABLED. */
  | { kind: 'deadLetters' }
  /** Every event recorded from `since` (epoch ms) to `until` (exclusive; null = now) that the subscription gets. */
  | { kind: 'since'; since: number; until: number | null };

/** What a redelivery queued. */
export interface RedeliveryOutcome {
  /** Deliveries written to the first retry tier (the dispatcher treats each as new). */
  queued: number;
  /** Deliveries not queued because their event is no longer on its topic (past retention). */
  missing: number;
}

/** Queues webhook deliveries again, as `wa.webhooks.WebhookDelivery` records on the first retry tier. */
export interface WebhookRedelivery {
  /**
   * Queues the selected deliveries to the subscription. NOT_FOUND (field `eventId`) when the log
   * knows no delivery of that event to it, or the event is past retention; INVALID_ARGUMENT
   * naming `since` / `deadLetters` above the cap; CONFLICT while another redelivery of the same
   * subscription runs in this process.
   */
  redeliver(subscription: WebhookView, selection: RedeliverySelection): Promise<RedeliveryOutcome>;
}

/** Per-account API keys (the admin key is configured or generated at first start). */
export interface ApiKeyView {
  keyId: string;
  accountId: string;
  label: string | null;
  createdAt: number;
}

export interface ApiKeys {
  /** The principal a presented key belongs to, or null (constant-time comparison of hashes). */
  authenticate(presented: string): Promise<{ kind: 'admin' } | { kind: 'account'; keyId: string; accountId: string } | null>;
  /** Creates a key for one account; the key itself is returned once and stored only hashed. */
  create(accountId: string, label: string | null): Promise<{ key: string; view: ApiKeyView }>;
  list(accountId?: string): Promise<ApiKeyView[]>;
  revoke(keyId: string): Promise<boolean>;
}

/** What `GET /health` reports. */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  timestamp: string;
  kafka: { status: 'up' | 'down'; brokers: number; detail?: string };
  database: { status: 'up' | 'down'; engine: string; lagEvents: number | null; detail?: string };
  analytics: { status: 'up' | 'down' | 'absent'; engine: string | null; detail?: string };
  connectors: { status: 'up' | 'down'; members: number; accounts: number | null };
}

/** Everything route handlers use; production wires the real parts, tests the same real parts. */
export interface ApiServices {
  readonly commands: CommandBus;
  readonly reads: ReadModels;
  /** The analytics store's questions (`/analytics/*`): ClickHouse directly, or the analytics role's chDB over HTTP. */
  readonly analytics: AnalyticsQueries;
  readonly media: MediaService;
  readonly webhooks: WebhookRegistry;
  /** Redelivery of webhook deliveries by API (the delivery log itself is read from `reads`). */
  readonly webhookDeliveries: WebhookRedelivery;
  readonly keys: ApiKeys;
  health(): Promise<HealthReport>;
  /** Live events for SSE clients (wa.* event topics), decoded to JSON-able envelopes. */
  readonly events: LiveEvents;
  now(): number;
}

/** One event as the live stream shows it: the envelope, the data branch name and the data. */
export interface LiveEvent {
  /** `<topic>:<partition>:<offset>`: the SSE id, so `Last-Event-ID` resumes after it. */
  position: string;
  eventId: string;
  type: string;
  accountId: string;
  chatJid: string | null;
  sequence: number;
  occurredAt: number;
  recordedAt: number;
  /** The decoded envelope with `data`, bytes as base64 (media keys never: they stay sealed). */
  envelope: Record<string, unknown>;
  /**
   * The stream's position list after this event (`topic:partition:offset,…`, one entry per
   * partition the stream covers): what the SSE `id` carries, so a `Last-Event-ID` resumes every
   * partition without gap, not just the event's own. Set by `LiveEvents.subscribe`.
   */
  cursor?: string;
}

export interface LiveEvents {
  /**
   * Events matching the filter, from just after `after` (a `Last-Event-ID` position list) or
   * from now, until `signal` aborts. Resolves once the stream is registered, so it holds every
   * event written after that.
   */
  subscribe(filter: { accountIds: string[] | null; types: string[] | null; after: string | null }, signal: AbortSignal): Promise<AsyncIterable<LiveEvent>>;
}
