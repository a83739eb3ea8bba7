/**
 * The webhook delivery log from wa.webhooks.attempts.v1: one row per attempt. Indexed for a
 * subscription's attempts newest first (all, of one event, of one outcome), for its dead
 * letters (the partial index: few rows, already in order), and for a delivery's attempts
 * (whether a dead attempt is still the latest of its delivery).
 */
export const WEBHOOKS_SCHEMA = `
CREATE TABLE webhook_attempts (
  attempt_id text PRIMARY KEY,
  delivery_id text NOT NULL,
  subscription_id text NOT NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  account_id text NOT NULL,
  chat_jid text,
  attempt integer NOT NULL,
  outcome text NOT NULL,
  status_code integer,
  latency_ms integer NOT NULL,
  error text,
  attempted_at bigint NOT NULL,
  next_attempt_at bigint,
  source_topic text NOT NULL,
  source_partition integer NOT NULL,
  source_offset bigint NOT NULL
);
CREATE INDEX webhook_attempts_of_subscription ON webhook_attempts (subscription_id, attempted_at DESC, attempt_id DESC);
CREATE INDEX webhook_attempts_of_event ON webhook_attempts (subscription_id, event_id, attempted_at DESC, attempt_id DESC);
CREATE INDEX webhook_attempts_of_outcome ON webhook_attempts (subscription_id, outcome, attempted_at DESC, attempt_id DESC);
CREATE INDEX webhook_attempts_dead ON webhook_attempts (subscription_id, attempted_at DESC, attempt_id DESC) WHERE outcome IN ('DEAD', 'GONE', 'DISABLED');
CREATE INDEX webhook_attempts_of_delivery ON webhook_attempts (delivery_id, attempted_at DESC, attempt DESC);
`;

export const WEBHOOKS_TABLES = ['webhook_attempts'] as const;
