import { WaError } from '../../shared/index.js';
import { WEBHOOK_RETRY_TIERS } from '../../shared/kafka/index.js';

/** A retry tier's label, e.g. `5m`: it names the tier's delay topic (`webhookRetryTopic`). */
export type RetryTierLabel = (typeof WEBHOOK_RETRY_TIERS)[number]['label'];

/** Jitter: the delay is the tier's, ±20%, so deliveries failing together do not retry together. */
export const RETRY_JITTER = 0.2;

/** The schedule as data (Svix's): the tier after each failed attempt. The longest tier is used twice. */
export const RETRY_SCHEDULE: readonly RetryTierLabel[] = ['5s', '5m', '30m', '2h', '5h', '10h', '10h'];

/** Attempts in all: the first try, then one per step of the schedule. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE.length + 1;

const LARGEST = WEBHOOK_RETRY_TIERS[WEBHOOK_RETRY_TIERS.length - 1]!;

export interface FailedAttempt {
  /** The attempt that just failed, 1-based (1 = the first try). */
  attempt: number;
  /** When it failed, milliseconds since the epoch. */
  now: number;
  /** A draw from [0, 1], injected so the schedule is a pure function. */
  random: number;
  /** The response's Retry-After in seconds, if it sent one. */
  retryAfterSeconds: number | null;
  /** The response's status; null when none came (Retry-After then cannot apply). */
  status: number | null;
}

/** Where a failed delivery goes: a retry tier's topic, not before `notBefore` (ms), or the dead-letter topic. */
export type NextAttempt = { kind: 'retry'; tier: RetryTierLabel; notBefore: number } | { kind: 'dead' };

/**
 * The retry schedule (Svix style): attempt n failed → step n of RETRY_SCHEDULE (5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h), then dead. The wait is the tier's delay ±20% jitter. A Retry-After longer than the
 * tier's delay moves the delivery to the smallest tier at least that long (capped at the
 * largest tier) and the wait is never shorter than it (capped at 10 h). Keeping every wait
 * within its tier's band keeps each delay topic close to due order, which its consumer needs.
 */
export function nextAttempt({ attempt, now, random, retryAfterSeconds, status }: FailedAttempt): NextAttempt {
  if (!Number.isInteger(attempt) || attempt < 1) throw new WaError('INVALID_ARGUMENT', `attempt must be a positive integer, got ${attempt}`, { field: 'attempt' });
  if (attempt >= MAX_ATTEMPTS) return { kind: 'dead' };
  const scheduled = WEBHOOK_RETRY_TIERS.find((t) => t.label === RETRY_SCHEDULE[attempt - 1])!;
  const askedMs = status !== null && retryAfterSeconds !== null && retryAfterSeconds > 0 ? Math.min(retryAfterSeconds * 1000, LARGEST.delayMs) : 0;
  const tier = askedMs > scheduled.delayMs ? WEBHOOK_RETRY_TIERS.find((t) => t.delayMs >= askedMs)! : scheduled;
  const draw = Math.min(1, Math.max(0, random));
  const jittered = tier.delayMs * (1 - RETRY_JITTER + 2 * RETRY_JITTER * draw);
  return { kind: 'retry', tier: tier.label, notBefore: now + Math.round(Math.max(jittered, askedMs)) };
}
