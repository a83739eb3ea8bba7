import { WaError } from '../../../services/shared/index.js';
import type { WebhookAttemptOutcome } from '../ReadModels.js';

// A record, so the compiler names an outcome the schema gains and this list lacks.
const OUTCOMES: Record<WebhookAttemptOutcome, true> = { UNKNOWN: true, DELIVERED: true, RETRYING: true, DEAD: true, GONE: true, DISABLED: true, CANCELLED: true };

/** Every outcome a delivery attempt can have (`wa.webhooks.AttemptOutcome`). */
export const WEBHOOK_ATTEMPT_OUTCOMES = Object.keys(OUTCOMES) as WebhookAttemptOutcome[];

/** The outcome a caller asked for; a 400 naming `outcome` for anything else. */
export function webhookAttemptOutcome(value: unknown): WebhookAttemptOutcome {
  if (typeof value === 'string' && Object.hasOwn(OUTCOMES, value)) return value as WebhookAttemptOutcome;
  throw new WaError('INVALID_ARGUMENT', `outcome must be one of ${WEBHOOK_ATTEMPT_OUTCOMES.join(', ')}`, { field: 'outcome' });
}
