import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { CommandPayload } from '../../../shared/commands/index.js';
import type { MediaReference } from '../../ApiServices.js';
import {
  booleanField,
  contactContent,
  jidSchema,
  locationContent,
  mediaContent,
  numberField,
  optionalText,
  phoneField,
  requireJid,
  sendMessageCommand,
  textContent,
  webhookEventsSchema,
  webhookSecretSchema,
  webhookUrlSchema,
} from '../shared/index.js';

/**
 * The id of a new channel: derived from the Idempotency-Key (and who sent it) when there is
 * one, so a retried `POST /channels` creates the same channel once; random otherwise.
 */
export function newChannelId(idempotencyKey: string | null, requestedBy: string, random: () => Buffer = () => randomBytes(8)): string {
  if (idempotencyKey === null) return `ch_${random().toString('hex')}`;
  return `ch_${createHash('sha256').update(`${requestedBy}\u001f${idempotencyKey}`).digest('hex').slice(0, 16)}`;
}

/** `POST /channels` body. */
export const createChannelBody = z.object({
  name: z.string({ error: 'name is required' }).trim().min(1, { error: 'name is required' }).max(200, { error: 'name is at most 200 characters' }),
  department: optionalText(200),
  autoConnect: booleanField().optional(),
});
export type CreateChannelBody = z.infer<typeof createChannelBody>;

/** The `account.create` payload of a channel. */
export function createChannelPayload(body: CreateChannelBody): CommandPayload {
  return { 'wa.commands.CreateAccount': { name: body.name, department: body.department ?? null, autoConnect: body.autoConnect ?? true, collectionName: null } };
}

/** `PUT /channels/:id` body: what is absent stays unchanged. */
export const updateChannelBody = z.object({
  name: z.string().trim().min(1, { error: 'name must not be empty' }).max(200, { error: 'name is at most 200 characters' }).optional(),
  department: optionalText(200),
  autoConnect: booleanField().optional(),
});
export type UpdateChannelBody = z.infer<typeof updateChannelBody>;

/** The `account.update` payload (null = unchanged). */
export function updateChannelPayload(body: UpdateChannelBody): CommandPayload {
  return { 'wa.commands.UpdateAccount': { name: body.name ?? null, department: body.department ?? null, autoConnect: body.autoConnect ?? null, collectionName: null } };
}

/** `POST /channels/:id/connect-phone` body. */
export const connectPhoneBody = z.object({ phoneNumber: phoneField({ field: 'phoneNumber', required: 'phoneNumber is required' }) });

/** `POST /channels/:id/messages/send-immediate` body. */
export const sendImmediateBody = z.object({
  phone: jidSchema(undefined, { field: 'phone', required: 'phone is required' }),
  message: z.string({ error: 'message is required' }).min(1, { error: 'message is required' }).max(65_536, { error: 'message is at most 65536 characters' }),
});
export type SendImmediateBody = z.infer<typeof sendImmediateBody>;

/** The `message.send` payload of `send-immediate`. */
export function sendImmediatePayload(body: SendImmediateBody): CommandPayload {
  return sendMessageCommand(requireJid(body.phone, 'phone'), textContent(body.message));
}

const to = jidSchema(undefined, { field: 'to', required: 'to is required' });
const media = z.string({ error: 'media is required' }).min(1, { error: 'media is required' }).meta({ description: 'http(s) URL or base64 (with or without a data: prefix)' });

/** `POST /channels/:id/messages/image` and `/video` body. */
export const sendCaptionedMediaBody = z.object({ to, media, caption: optionalText(4_096) });
export type SendCaptionedMediaBody = z.infer<typeof sendCaptionedMediaBody>;

/** `POST /channels/:id/messages/document` body. */
export const sendDocumentBody = z.object({
  to,
  media,
  filename: optionalText(255).meta({ example: 'report.pdf' }),
  mimetype: z
    .string()
    .regex(/^[\w.+-]+\/[\w.+-]+$/, { error: 'mimetype must look like application/pdf' })
    .optional(),
  caption: optionalText(4_096),
});
export type SendDocumentBody = z.infer<typeof sendDocumentBody>;

/** The `message.send` payload of an image or video whose media is already a reference. */
export function sendCaptionedMediaPayload(kind: 'image' | 'video', body: SendCaptionedMediaBody, ref: MediaReference): CommandPayload {
  return sendMessageCommand(requireJid(body.to, 'to'), mediaContent(kind, ref, { caption: body.caption ?? null }));
}

/** The `message.send` payload of a document. */
export function sendDocumentPayload(body: SendDocumentBody, ref: MediaReference): CommandPayload {
  return sendMessageCommand(
    requireJid(body.to, 'to'),
    mediaContent('document', ref, { fileName: body.filename ?? null, mimetype: body.mimetype ?? null, caption: body.caption ?? null }),
  );
}

/** `POST /channels/:id/messages/location` body. */
export const sendLocationBody = z.object({
  to,
  latitude: numberField(z.number().min(-90, { error: 'latitude is between -90 and 90' }).max(90, { error: 'latitude is between -90 and 90' })),
  longitude: numberField(
    z.number().min(-180, { error: 'longitude is between -180 and 180' }).max(180, { error: 'longitude is between -180 and 180' }),
  ),
  name: optionalText(256),
  address: optionalText(1_024),
});
export type SendLocationBody = z.infer<typeof sendLocationBody>;

/** The `message.send` payload of a location. */
export function sendLocationPayload(body: SendLocationBody): CommandPayload {
  return sendMessageCommand(requireJid(body.to, 'to'), locationContent({ latitude: body.latitude, longitude: body.longitude, name: body.name ?? null, address: body.address ?? null }));
}

/** A shared contact: `{ fullName, phone }`. */
export const contactSchema = z.object(
  {
    fullName: z.string({ error: 'contact.fullName is required' }).trim().min(1, { error: 'contact.fullName is required' }).max(256),
    phone: phoneField({ field: 'contact.phone', required: 'contact.phone is required' }),
  },
  { error: 'contact is required' },
);

/** Form and query bodies spell the nested contact as `contact.fullName` / `contact.phone`. */
function nestDottedContact(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if (record['contact'] !== undefined || (record['contact.fullName'] === undefined && record['contact.phone'] === undefined)) return value;
  return { ...record, contact: { fullName: record['contact.fullName'], phone: record['contact.phone'] } };
}

/** `POST /channels/:id/messages/contact` body (`contact` nested, or `contact.fullName` / `contact.phone` flat). */
export const sendContactBody = z.preprocess(nestDottedContact, z.object({ to, contact: contactSchema }));
export type SendContactBody = z.infer<typeof sendContactBody>;

/** The `message.send` payload of a contact card (the API builds the vCard). */
export function sendContactPayload(body: SendContactBody): CommandPayload {
  return sendMessageCommand(requireJid(body.to, 'to'), contactContent(body.contact));
}

/** `PUT /channels/:id/webhook` body. */
export const putWebhookBody = z.object({
  url: webhookUrlSchema,
  events: z.preprocess((value) => (typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value), webhookEventsSchema),
  secret: webhookSecretSchema,
  enabled: booleanField().optional(),
});
export type PutWebhookBody = z.infer<typeof putWebhookBody>;
