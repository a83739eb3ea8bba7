import type { ReadModelDefinition } from '../shared/index.js';
import { evolveWebhooks } from './evolveWebhooks.js';
import { WEBHOOKS_SCHEMA, WEBHOOKS_TABLES } from './webhooksSchema.js';

/** The webhook delivery log read model. */
export const webhooksModel: ReadModelDefinition = { name: 'webhooks', tables: WEBHOOKS_TABLES, schema: WEBHOOKS_SCHEMA, evolve: evolveWebhooks };
export { evolveWebhooks };
export { toWebhookAttemptRow } from './webhookAttemptRows.js';
export { WEBHOOK_ATTEMPT_OUTCOMES, webhookAttemptOutcome } from './webhookAttemptOutcomes.js';
