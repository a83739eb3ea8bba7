export { classifyResponse, type ResponseClass } from './classifyResponse.js';
export { MAX_ATTEMPTS, RETRY_JITTER, RETRY_SCHEDULE, nextAttempt, type FailedAttempt, type NextAttempt, type RetryTierLabel } from './nextAttempt.js';
export { DISABLE_AFTER_FAILING_MS, DISABLE_MIN_CONSECUTIVE_FAILURES, shouldDisable, type FailureStreak } from './shouldDisable.js';
