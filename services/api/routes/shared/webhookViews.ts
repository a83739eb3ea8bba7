import { z } from 'zod';
import { webhookSecretKey } from '../../../webhooks/signature/index.js';
import type { WebhookView } from '../../ApiServices.js';

const isoDate = z.string().meta({ format: 'date-time' });

/** A webhook subscription as both documents show it (the signing secret only when just set). */
export const webhookSchema = z.object({
  id: z.string(),
  scope: z.enum(['GLOBAL', 'ACCOUNT']),
  accountId: z.string().nullable(),
  url: z.string().meta({ example: 'https://example.com/webhook' }),
  events: z.array(z.string()).meta({ description: 'event types delivered; empty = all', example: ['message.received', 'message.sent'] }),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  secret: z.string().optional().meta({ description: 'HMAC signing secret; shown only when it was just set or generated' }),
});
export type WebhookBody = z.infer<typeof webhookSchema>;

/** A subscription in the API's shape; `secret` is added only when given (creation). */
export function webhookViewBody(view: WebhookView, secret: string | null = null): WebhookBody {
  return {
    id: view.id,
    scope: view.scope,
    accountId: view.accountId,
    url: view.url,
    events: [...view.events],
    enabled: view.enabled,
    disabledReason: view.disabledReason,
    createdAt: new Date(view.createdAt).toISOString(),
    updatedAt: new Date(view.updatedAt).toISOString(),
    ...(secret === null ? {} : { secret }),
  };
}

/** A webhook target: an absolute http(s) URL (the registry refuses private addresses). */
export const webhookUrlSchema = z
  .string({ error: 'url is required' })
  .min(1, { error: 'url is required' })
  .max(2_048, { error: 'url is at most 2048 characters' })
  .refine(isHttpUrl, { error: 'url must be a valid HTTP/HTTPS URL' });

/** Event type names (`message.received`, `connection.state`...), or every type under a prefix (`message.*`). */
export const webhookEventsSchema = z.array(
  z
    .string()
    .max(64, { error: 'events must be event types like message.received or message.*' })
    .regex(/^[a-z_]+(\.[a-z_]+)*\.([a-z_]+|\*)$/, { error: 'events must be event types like message.received or message.*' }),
  { error: 'events must be a list of event types' },
);

// At least 16 bytes of key: the spec's libraries take shorter ones, but a short key is a weak one.
const MIN_SECRET_BYTES = 16;

/** A signing secret a client gives: Standard Webhooks' `whsec_<base64>` form, 16 to 64 bytes of key. */
export const webhookSecretSchema = z
  .string()
  .max(256, { error: 'secret is at most 256 characters' })
  .refine((secret) => {
    try {
      const key = webhookSecretKey(secret);
      return key.length >= MIN_SECRET_BYTES && key.length <= 64;
    } catch {
      return false;
    }
  }, { error: `secret must be whsec_ followed by the base64 of ${MIN_SECRET_BYTES} to 64 random bytes (or leave it out: one is generated)` })
  .optional();

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
