/** An endpoint failing without a single success for this long is disabled (Svix: 5 days). */
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 60 * 60_000;

/** ...and only after at least this many failures in a row, so a quiet endpoint with two failures a week apart stays on. */
export const DISABLE_MIN_CONSECUTIVE_FAILURES = 10;

export interface FailureStreak {
  /** When the current run of failures began (ms); null when the last attempt succeeded. */
  firstFailureAt: number | null;
  now: number;
  /** Failed attempts since the last success. */
  consecutiveFailures: number;
}

/** Whether an endpoint has failed continuously for 5 days and at least 10 times in a row, and is to be disabled. */
export function shouldDisable({ firstFailureAt, now, consecutiveFailures }: FailureStreak): boolean {
  return firstFailureAt !== null && now - firstFailureAt >= DISABLE_AFTER_FAILING_MS && consecutiveFailures >= DISABLE_MIN_CONSECUTIVE_FAILURES;
}
