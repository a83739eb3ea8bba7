import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { WaError } from '../../shared/index.js';
import { WEBHOOK_RETRY_TIERS } from '../../shared/kafka/index.js';
import { MAX_ATTEMPTS, RETRY_SCHEDULE, nextAttempt, type FailedAttempt, type NextAttempt } from './nextAttempt.js';

const NOW = 1_750_000_000_000;
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const failed = (fields: Partial<FailedAttempt>): FailedAttempt => ({ attempt: 1, now: NOW, random: 0.5, retryAfterSeconds: null, status: 500, ...fields });
const retry = (tier: string, delayMs: number): NextAttempt => ({ kind: 'retry', tier: tier as never, notBefore: NOW + delayMs });
const tierIndex = (outcome: NextAttempt): number => (outcome.kind === 'retry' ? WEBHOOK_RETRY_TIERS.findIndex((t) => t.label === outcome.tier) : WEBHOOK_RETRY_TIERS.length);
const delayOf = (outcome: NextAttempt): number => (outcome.kind === 'retry' ? outcome.notBefore - NOW : Number.POSITIVE_INFINITY);
const tierDelay = (outcome: NextAttempt): number => WEBHOOK_RETRY_TIERS[tierIndex(outcome)]!.delayMs;

describe('nextAttempt: the retry schedule', () => {
  it('moves attempt n to step n of the schedule (5s, 5m, 30m, 2h, 5h, 10h, 10h), then dead', () => {
    const table: Array<[number, NextAttempt]> = [
      [1, retry('5s', 5 * S)],
      [2, retry('5m', 5 * M)],
      [3, retry('30m', 30 * M)],
      [4, retry('2h', 2 * H)],
      [5, retry('5h', 5 * H)],
      [6, retry('10h', 10 * H)],
      [7, retry('10h', 10 * H)],
      [8, { kind: 'dead' }],
      [9, { kind: 'dead' }],
    ];
    for (const [attempt, expected] of table) assert.deepEqual(nextAttempt(failed({ attempt })), expected, `attempt ${attempt}`);
    assert.equal(MAX_ATTEMPTS, 8);
  });

  it('jitters by ±20% of the tier delay', () => {
    const table: Array<[number, number, NextAttempt]> = [
      [1, 0, retry('5s', 4 * S)],
      [1, 1, retry('5s', 6 * S)],
      [2, 0, retry('5m', 4 * M)],
      [2, 0.25, retry('5m', 4.5 * M)],
      [6, 1, retry('10h', 12 * H)],
      [3, -3, retry('30m', 24 * M)],
      [3, 7, retry('30m', 36 * M)],
    ];
    for (const [attempt, random, expected] of table) assert.deepEqual(nextAttempt(failed({ attempt, random })), expected, `attempt ${attempt}, random ${random}`);
  });

  it('honours a Retry-After longer than the tier: the smallest tier at least as long, never sooner, capped at 10 h', () => {
    const table: Array<[Partial<FailedAttempt>, NextAttempt]> = [
      [{ retryAfterSeconds: 3 }, retry('5s', 5 * S)],
      [{ retryAfterSeconds: 5, random: 0 }, retry('5s', 5 * S)],
      [{ retryAfterSeconds: 6 }, retry('5m', 5 * M)],
      [{ retryAfterSeconds: 300, random: 0 }, retry('5m', 5 * M)],
      [{ retryAfterSeconds: 301 }, retry('30m', 30 * M)],
      [{ retryAfterSeconds: 3600, random: 0 }, retry('2h', 2 * H * 0.8)],
      [{ retryAfterSeconds: 36_000, random: 0 }, retry('10h', 10 * H)],
      [{ retryAfterSeconds: 1_000_000, random: 0 }, retry('10h', 10 * H)],
      [{ retryAfterSeconds: 1_000_000, random: 1 }, retry('10h', 12 * H)],
      [{ attempt: 3, retryAfterSeconds: 600 }, retry('30m', 30 * M)],
      [{ attempt: 3, retryAfterSeconds: 1900, random: 0 }, retry('2h', 1.6 * H)],
      [{ retryAfterSeconds: 0 }, retry('5s', 5 * S)],
      [{ retryAfterSeconds: 3600, status: null }, retry('5s', 5 * S)],
      [{ attempt: 8, retryAfterSeconds: 60 }, { kind: 'dead' }],
    ];
    for (const [fields, expected] of table) assert.deepEqual(nextAttempt(failed(fields)), expected, JSON.stringify(fields));
  });

  it('refuses an attempt number that is not a positive integer', () => {
    for (const attempt of [0, -1, 1.5, Number.NaN]) assert.throws(() => nextAttempt(failed({ attempt })), (error: unknown) => error instanceof WaError && error.field === 'attempt', String(attempt));
  });
});

describe('nextAttempt: properties', () => {
  const attempt = fc.integer({ min: 1, max: RETRY_SCHEDULE.length });
  const scheduledTier = (n: number): number => WEBHOOK_RETRY_TIERS.findIndex((t) => t.label === RETRY_SCHEDULE[n - 1]);
  const random = fc.double({ min: 0, max: 1, noNaN: true });
  const retryAfter = fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: null });

  it('without Retry-After the wait is the tier of the attempt, ±20%', () => {
    fc.assert(
      fc.property(attempt, random, (n, r) => {
        const outcome = nextAttempt(failed({ attempt: n, random: r }));
        const delay = WEBHOOK_RETRY_TIERS[scheduledTier(n)]!.delayMs;
        assert.equal(tierIndex(outcome), scheduledTier(n));
        assert.ok(delayOf(outcome) >= Math.floor(delay * 0.8) && delayOf(outcome) <= Math.ceil(delay * 1.2), `${delayOf(outcome)} vs ${delay}`);
      }),
    );
  });

  it('every wait stays in its tier band and is never shorter than Retry-After (capped at 10 h)', () => {
    fc.assert(
      fc.property(attempt, random, retryAfter, (n, r, seconds) => {
        const outcome = nextAttempt(failed({ attempt: n, random: r, retryAfterSeconds: seconds }));
        const delay = delayOf(outcome);
        assert.ok(delay >= Math.floor(tierDelay(outcome) * 0.8) && delay <= Math.ceil(tierDelay(outcome) * 1.2));
        assert.ok(delay >= Math.min((seconds ?? 0) * S, 10 * H));
        assert.ok(tierIndex(outcome) >= scheduledTier(n), 'Retry-After never shortens the schedule');
      }),
    );
  });

  it('tiers never go down: not with a later attempt, not with a longer Retry-After', () => {
    fc.assert(
      fc.property(attempt, attempt, random, retryAfter, retryAfter, (a, b, r, s1, s2) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const [short, long] = (s1 ?? 0) <= (s2 ?? 0) ? [s1, s2] : [s2, s1];
        assert.ok(tierIndex(nextAttempt(failed({ attempt: early, random: r, retryAfterSeconds: short }))) <= tierIndex(nextAttempt(failed({ attempt: late, random: r, retryAfterSeconds: short }))));
        assert.ok(tierIndex(nextAttempt(failed({ attempt: early, random: r, retryAfterSeconds: short }))) <= tierIndex(nextAttempt(failed({ attempt: early, random: r, retryAfterSeconds: long }))));
        assert.ok(delayOf(nextAttempt(failed({ attempt: early, random: r }))) <= delayOf(nextAttempt(failed({ attempt: late, random: r }))));
      }),
    );
  });

  it('every attempt after the last tier is dead, whatever the response said', () => {
    fc.assert(fc.property(fc.integer({ min: MAX_ATTEMPTS, max: 10_000 }), random, retryAfter, (n, r, seconds) => {
      assert.deepEqual(nextAttempt(failed({ attempt: n, random: r, retryAfterSeconds: seconds })), { kind: 'dead' });
    }));
  });
});
