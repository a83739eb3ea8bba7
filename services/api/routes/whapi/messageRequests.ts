import { z } from 'zod';
import { CHAT, MESSAGE_CHAT, type CommandPayload, type MessageTargetValue, type SendableContent } from '../../../shared/commands/index.js';
import type { CommandResultValue, MediaReference } from '../../ApiServices.js';
import { resultBranch } from '../../http/commandOutcome.js';
import {
  booleanField,
  contactContent,
  contactsContent,
  locationContent,
  mediaContent,
  messageIdField,
  numberField,
  optionalText,
  phoneField,
  sendMessageCommand,
  textContent,
  type MediaKind,
} from '../shared/index.js';
import { httpUrlField, integerField, jidField, listField, mediaField, requiredText } from './whapiFields.js';

const INT_MAX = 2_147_483_647;
/** WhatsApp keeps a pin for at most 30 days. */
const PIN_SECONDS_MAX = 2_592_000;
const POLL_OPTIONS = { min: 2, max: 12 } as const;

const to = jidField(CHAT, 'to');
const media = mediaField('media');
const caption = optionalText(4_096);
const mimetype = z
  .string()
  .regex(/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/, { error: 'mimetype must look like application/pdf' })
  .optional();

const latitude = numberField(z.number().min(-90, { error: 'latitude must be between -90 and 90' }).max(90, { error: 'latitude must be between -90 and 90' }));
const longitude = numberField(z.number().min(-180, { error: 'longitude must be between -180 and 180' }).max(180, { error: 'longitude must be between -180 and 180' }));

/** `POST /messages/text`. */
export const sendTextBody = z.object({
  to,
  body: z.string({ error: 'body is required' }).min(1, { error: 'body is required' }).max(65_536, { error: 'body is at most 65536 characters' }),
});
export type SendTextBody = z.infer<typeof sendTextBody>;

/** The `message.send` payload of a text. */
export function sendTextPayload(body: SendTextBody): CommandPayload {
  return sendMessageCommand(body.to, textContent(body.body));
}

/** `POST /messages/image`, `/video`, `/gif`: media with a caption. */
export const sendCaptionedBody = z.object({ to, media, caption });
/** `POST /messages/audio`, `/voice`, `/sticker`, `/short`: media alone. */
export const sendMediaBody = z.object({ to, media });
/** `POST /messages/document`. */
export const sendDocumentBody = z.object({ to, media, filename: optionalText(255).meta({ example: 'report.pdf' }), mimetype, caption });

/** What a media send's body may carry besides the media. */
export interface MediaSendBody {
  to: string;
  caption?: string | undefined;
  filename?: string | undefined;
  mimetype?: string | undefined;
}

/**
 * The `message.send` payload of a media send whose `media` is already a reference: voice is
 * audio with `ptt`, gif is video with `gifPlayback`, short is a PTV (video note).
 */
export function sendMediaPayload(kind: MediaKind, body: MediaSendBody, ref: MediaReference): CommandPayload {
  return sendMessageCommand(
    body.to,
    mediaContent(kind, ref, { caption: body.caption ?? null, fileName: body.filename ?? null, mimetype: body.mimetype ?? null }),
  );
}

/** `POST /messages/location`. */
export const sendLocationBody = z.object({ to, latitude, longitude, name: optionalText(256), address: optionalText(1_024) });
export type SendLocationBody = z.infer<typeof sendLocationBody>;

/** The `message.send` payload of a location. */
export function sendLocationPayload(body: SendLocationBody): CommandPayload {
  return sendMessageCommand(body.to, locationContent({ latitude: body.latitude, longitude: body.longitude, name: body.name ?? null, address: body.address ?? null }));
}

/** A shared contact: `{ fullName, phone }`. */
function contactSchema(at: string) {
  return z.object(
    {
      fullName: requiredText(`${at}.fullName`, 256),
      phone: phoneField({ field: `${at}.phone`, required: `${at}.phone is required` }),
    },
    { error: `${at} must be an object { fullName, phone }` },
  );
}

/** Form and query bodies spell the nested contact as `contact.fullName` / `contact.phone`. */
function nestDottedContact(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if (record['contact'] !== undefined || (record['contact.fullName'] === undefined && record['contact.phone'] === undefined)) return value;
  return { ...record, contact: { fullName: record['contact.fullName'], phone: record['contact.phone'] } };
}

/** `POST /messages/contact` (`contact` nested, or `contact.fullName` / `contact.phone` flat). */
export const sendContactBody = z.preprocess(nestDottedContact, z.object({ to, contact: contactSchema('contact') }));
export type SendContactBody = z.infer<typeof sendContactBody>;

/** The `message.send` payload of a contact card; the API writes the vCard. */
export function sendContactPayload(body: SendContactBody): CommandPayload {
  return sendMessageCommand(body.to, contactContent(body.contact));
}

/** `POST /messages/contact-list`. */
export const sendContactListBody = z.object({
  to,
  contacts: z
    .array(contactSchema('contacts[]'), { error: 'contacts is required: a list of { fullName, phone }' })
    .min(1, { error: 'contacts must name at least one contact' })
    .max(256, { error: 'contacts must have at most 256 items' }),
});
export type SendContactListBody = z.infer<typeof sendContactListBody>;

/** The `message.send` payload of several contact cards. */
export function sendContactListPayload(body: SendContactListBody): CommandPayload {
  return sendMessageCommand(body.to, contactsContent(body.contacts));
}

/** `POST /messages/poll`. */
export const sendPollBody = z.object({
  to,
  question: requiredText('question', 255),
  options: z
    .array(requiredText('options[]', 100), { error: 'options is required: a list of 2 to 12 texts' })
    .min(POLL_OPTIONS.min, { error: `options must have ${POLL_OPTIONS.min} to ${POLL_OPTIONS.max} items` })
    .max(POLL_OPTIONS.max, { error: `options must have ${POLL_OPTIONS.min} to ${POLL_OPTIONS.max} items` })
    .refine((options) => new Set(options).size === options.length, { error: 'options must all differ' }),
  multiSelect: booleanField('multiSelect must be true or false').optional(),
});
export type SendPollBody = z.infer<typeof sendPollBody>;

/**
 * The `message.send` payload of a poll: `multiSelect` lets a voter choose any number of options
 * (selectableCount 0), else one. Baileys sends single-choice polls as v3, the others as v1.
 */
export function sendPollPayload(body: SendPollBody): CommandPayload {
  const selectableCount = body.multiSelect === true ? 0 : 1;
  const content: SendableContent = {
    'wa.conversation.PollCreationContent': { name: body.question, options: [...body.options], selectableCount, version: selectableCount === 1 ? 3 : 1, toAnnouncementGroup: null },
  };
  return sendMessageCommand(body.to, content);
}

/** `POST /messages/link-preview`. */
export const sendLinkPreviewBody = z.object({ to, url: httpUrlField('url'), title: optionalText(256), description: optionalText(1_024) });
export type SendLinkPreviewBody = z.infer<typeof sendLinkPreviewBody>;

/**
 * The `message.send` payload of a link with its preview card: the text is the URL; a title or
 * description given by the client makes the card, otherwise the connector fetches one.
 */
export function sendLinkPreviewPayload(body: SendLinkPreviewBody): CommandPayload {
  const title = body.title?.trim() || null;
  const description = body.description?.trim() || null;
  if (title === null && description === null) return sendMessageCommand(body.to, textContent(body.url), { linkPreview: true });
  const content: SendableContent = {
    'wa.conversation.TextContent': {
      text: body.url,
      linkPreview: { url: body.url, matchedText: body.url, title, description, jpegThumbnail: null, thumbnail: null },
      backgroundArgb: null,
      textArgb: null,
      font: null,
    },
  };
  return sendMessageCommand(body.to, content);
}

/** `POST /messages/live-location`. */
export const sendLiveLocationBody = z.object({ to, latitude, longitude, duration: integerField('duration', 1, INT_MAX).optional() });
export type SendLiveLocationBody = z.infer<typeof sendLiveLocationBody>;

/** The `message.send` payload of a live location shared for `duration` seconds. */
export function sendLiveLocationPayload(body: SendLiveLocationBody): CommandPayload {
  const content: SendableContent = {
    'wa.conversation.LiveLocationContent': {
      latitude: body.latitude,
      longitude: body.longitude,
      accuracyInMeters: null,
      speedInMps: null,
      degreesClockwiseFromMagneticNorth: null,
      caption: null,
      sequenceNumber: null,
      timeOffsetSeconds: null,
      durationSeconds: body.duration ?? null,
      jpegThumbnail: null,
    },
  };
  return sendMessageCommand(body.to, content);
}

const chatId = jidField(MESSAGE_CHAT, 'chatId');

/** `POST /messages/forward`. */
export const forwardBody = z.object({
  chatId,
  messageId: messageIdField({ field: 'messageId', required: 'messageId is required' }),
  to: listField('to', jidField(CHAT, 'to[]'), 1, 50),
});
export type ForwardBody = z.infer<typeof forwardBody>;

/** The `message.forward` payload: each recipient once, in the order given. */
export function forwardPayload(source: MessageTargetValue, recipients: readonly string[]): CommandPayload {
  return { 'wa.commands.ForwardMessage': { source, to: [...new Set(recipients)] } };
}

/** One recipient of a forward, as answered. */
export const forwardOutcomeSchema = z.object({
  to: z.string(),
  success: z.boolean(),
  messageId: z.string().nullable(),
  error: z.string().nullable(),
});
export type ForwardOutcome = z.infer<typeof forwardOutcomeSchema>;

interface ForwardResultValue {
  results: { to: string; messageId: string | null; timestamp: number | null; error: { message: string } | null }[];
}

/** The answer of a forward: one outcome per recipient (the command succeeds when one copy was sent). */
export function forwardResultBody(result: CommandResultValue): ForwardOutcome[] {
  return resultBranch<ForwardResultValue>(result, 'wa.commands.ForwardResult').results.map((outcome) => ({
    to: outcome.to,
    success: outcome.messageId !== null,
    messageId: outcome.messageId,
    error: outcome.error?.message ?? null,
  }));
}

/** `PUT /messages/:id/star`. */
export const starBody = z.object({ chatId, star: booleanField('star is required: true or false') });
/** `POST /messages/:id/pin`. */
export const pinBody = z.object({ chatId, duration: integerField('duration', 1, PIN_SECONDS_MAX).optional() });
/** `DELETE /messages/:id/pin`. */
export const unpinBody = z.object({ chatId });
/** `PUT /messages/:id/reaction`: an empty emoji removes this account's reaction. */
export const reactionBody = z.object({
  chatId,
  emoji: z
    .string({ error: 'emoji is required' })
    .refine((emoji) => [...emoji].length <= 16, { error: 'emoji must be one emoji (or empty to remove the reaction)' })
    .meta({ example: '👍' }),
});
/** `DELETE /messages/:id`. */
export const deleteBody = z.object({ chatId, forEveryone: booleanField('forEveryone must be true or false').optional() });

/** The `message.star` / `message.unstar` payload. */
export function starPayload(target: MessageTargetValue): CommandPayload {
  return { 'wa.commands.StarMessage': { target } };
}

/** The `message.pin` / `message.unpin` payload (no duration: WhatsApp's 24 h). */
export function pinPayload(target: MessageTargetValue, durationSeconds: number | null): CommandPayload {
  return { 'wa.commands.PinMessage': { target, durationSeconds } };
}

/** The `message.react` payload. */
export function reactPayload(target: MessageTargetValue, emoji: string): CommandPayload {
  return { 'wa.commands.ReactToMessage': { target, emoji } };
}

/** The `message.delete` payload: for everyone unless the client says otherwise (the document's example). */
export function deletePayload(target: MessageTargetValue, forEveryone: boolean | undefined): CommandPayload {
  return { 'wa.commands.DeleteMessage': { target, forEveryone: forEveryone ?? true } };
}

/** What an action on a message answers: the message and what became of it. */
export const messageActionSchema = z.object({
  messageId: z.string(),
  chatId: z.string(),
  starred: z.boolean().optional(),
  pinned: z.boolean().optional(),
  durationSeconds: z.number().int().nullable().optional(),
  emoji: z.string().optional(),
  deleted: z.boolean().optional(),
  forEveryone: z.boolean().optional(),
});
