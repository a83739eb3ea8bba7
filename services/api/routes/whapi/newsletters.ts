import { z } from 'zod';
import type { CommandPayload, SendableContent } from '../../../shared/commands/index.js';
import type { NewsletterRow } from '../../../../projections/readModels/index.js';
import type { CommandResultValue, MediaReference } from '../../ApiServices.js';
import { resultBranch } from '../../http/commandOutcome.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { mediaContent, optionalText, sendMessageCommand, sentMessageBody, sentMessageSchema, textContent } from '../shared/index.js';
import { channelList, newsletterIdField, requiredText } from './whapiFields.js';
import { commandResponses, dataAnswer, readResponses, whapiCommand } from './whapiCommand.js';

const TAGS = ['Newsletters'] as const;

/** A newsletter (WhatsApp channel) as answered. */
export const whapiNewsletterSchema = z.object({
  id: z.string().meta({ example: '120363012345678901@newsletter' }),
  name: z.string().nullable(),
  description: z.string().nullable(),
  role: z.string().nullable().meta({ description: 'this channel’s role: owner, admin, subscriber or guest' }),
  subscribers: z.number().int().nullable(),
  picture: z.string().nullable(),
});
export type WhapiNewsletter = z.infer<typeof whapiNewsletterSchema>;

/** A newsletter row as answered. */
export function newsletterRowToWhapi(row: NewsletterRow): WhapiNewsletter {
  return {
    id: row.jid,
    name: row.name,
    description: row.description,
    role: row.role?.toLowerCase() ?? null,
    subscribers: row.subscribers,
    picture: row.pictureUrl,
  };
}

interface NewsletterMetadataValue {
  jid: string;
  name: string | null;
  description: string | null;
  pictureUrl: string | null;
  subscriberCount: number | null;
  viewerRole: string | null;
}

/** The newsletter `newsletter.create` answered. */
export function newsletterResultBody(result: CommandResultValue): WhapiNewsletter {
  const value = resultBranch<NewsletterMetadataValue>(result, 'wa.account.NewsletterMetadata');
  return {
    id: value.jid,
    name: value.name,
    description: value.description,
    role: value.viewerRole?.toLowerCase() ?? null,
    subscribers: value.subscriberCount,
    picture: value.pictureUrl,
  };
}

/** `POST /newsletters` body. */
export const createNewsletterBody = z.object({ name: requiredText('name', 100), description: optionalText(2_048) });
export type CreateNewsletterBody = z.infer<typeof createNewsletterBody>;

/** The `newsletter.create` payload. */
export function createNewsletterPayload(body: CreateNewsletterBody): CommandPayload {
  return { 'wa.commands.CreateNewsletter': { name: body.name, description: body.description?.trim() ? body.description : null, pictureMediaId: null } };
}

/** `POST /newsletters/:id/messages` body: a text, a medium, or a medium with the text as caption. */
export const newsletterMessageBody = z
  .object({
    text: z.string().max(65_536, { error: 'text is at most 65536 characters' }).optional(),
    media: z.string().optional().meta({ description: 'http(s) URL or base64 (image or video)' }),
  })
  .refine((body) => Boolean(body.text?.trim()) || Boolean(body.media?.trim()), { error: 'text or media is required' });
export type NewsletterMessageBody = z.infer<typeof newsletterMessageBody>;

/**
 * The `newsletter.send` payload: a text alone, or the medium (a video when its type says so,
 * otherwise an image) with the text as its caption.
 */
export function newsletterMessagePayload(newsletterJid: string, body: NewsletterMessageBody, ref: MediaReference | null): CommandPayload {
  const text = body.text?.trim() ? body.text : null;
  let content: SendableContent;
  if (ref === null) content = textContent(text ?? '');
  else content = mediaContent(ref.mimetype?.startsWith('video/') ? 'video' : 'image', ref, { caption: text });
  return sendMessageCommand(newsletterJid, content);
}

/** `GET /newsletters`: the newsletters this channel follows or owns. */
export const listNewsletters = defineRoute({
  method: 'GET',
  path: '/newsletters',
  surface: 'whapi',
  operationId: 'listNewsletters',
  summary: 'Get subscribed newsletters/channels',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  responses: readResponses('The newsletters', z.array(whapiNewsletterSchema)),
  handler: async (request, services) =>
    dataAnswer(await channelList(services, request.accountId, (await services.reads.newsletters(request.accountId)).map(newsletterRowToWhapi))),
});

/** `POST /newsletters`. */
export const createNewsletter = defineRoute({
  method: 'POST',
  path: '/newsletters',
  surface: 'whapi',
  operationId: 'createNewsletter',
  summary: 'Create newsletter',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  body: createNewsletterBody,
  responses: commandResponses('The new newsletter', whapiNewsletterSchema),
  handler: async (request, services) =>
    whapiCommand(request, services, 'newsletter.create', createNewsletterPayload(request.body), (result) => dataAnswer(newsletterResultBody(result))),
});

/** `POST /newsletters/:id/messages`: answered `{ success: true, messageId }` like every send. */
export const sendNewsletterMessage = defineRoute({
  method: 'POST',
  path: '/newsletters/:id/messages',
  surface: 'whapi',
  operationId: 'sendNewsletterMessage',
  summary: 'Send message to newsletter',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: z.object({ id: newsletterIdField('id') }),
  body: newsletterMessageBody,
  responses: commandResponses('Sent: the message id beside success', sentMessageSchema, { 413: 'Media too large' }, 'spread'),
  handler: async (request, services) => {
    const media = request.body.media?.trim() ? await services.media.fromField(request.body.media, 'media') : null;
    return whapiCommand(request, services, 'newsletter.send', newsletterMessagePayload(request.params.id, request.body, media), (result) => ({
      kind: 'json',
      body: sentMessageBody(result),
    }));
  },
});

/** The `/newsletters` routes of the WHAPI document. */
export const newsletterRoutes: AnyRoute[] = [listNewsletters, createNewsletter, sendNewsletterMessage];
