import { z } from 'zod';
import type { CommandPayload, StoryContent } from '../../../shared/commands/index.js';
import type { StoryRow } from '../../../../projections/readModels/index.js';
import type { MediaReference } from '../../ApiServices.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { mediaRef, offsetPagingSchema, optionalText, pageOf, sentMessageBody, sentMessageSchema } from '../shared/index.js';
import { channelList, integerField, mediaField, requiredText, storyIdField } from './whapiFields.js';
import { commandResponses, dataAnswer, readResponses, whapiCommand } from './whapiCommand.js';

const TAGS = ['Stories'] as const;

/** A story as answered. */
export const whapiStorySchema = z.object({
  id: z.string().meta({ example: '3EB0123ABCD456EF' }),
  from: z.string().nullable(),
  fromMe: z.boolean(),
  type: z.string().meta({ example: 'image' }),
  text: z.string().nullable(),
  caption: z.string().nullable(),
  media: z
    .object({
      mediaId: z.string().nullable().meta({ description: 'id for GET /media/:id once stored' }),
      mimetype: z.string().nullable(),
      size: z.number().int().nullable(),
      state: z.string(),
    })
    .nullable(),
  timestamp: z.number().int().meta({ description: 'milliseconds since the epoch' }),
  deleted: z.boolean(),
});
export type WhapiStory = z.infer<typeof whapiStorySchema>;

/** A story row as answered. */
export function storyRowToWhapi(row: StoryRow): WhapiStory {
  return {
    id: row.storyId,
    from: row.senderJid,
    fromMe: row.fromMe,
    type: row.type,
    text: row.text,
    caption: row.caption,
    media: row.media === null ? null : { mediaId: row.media.mediaId, mimetype: row.media.mimetype, size: row.media.size, state: row.media.state },
    timestamp: row.timestamp,
    deleted: row.deleted,
  };
}

/** `#RRGGBB` as WhatsApp's opaque ARGB (`0xFFRRGGBB`), or null when it is not a colour. */
export function argbOf(color: string): number | null {
  const match = /^#?([0-9a-fA-F]{6})$/.exec(color.trim());
  return match === null ? null : 0xff000000 + Number.parseInt(match[1]!, 16);
}

/** `POST /stories/text` body. */
export const textStoryBody = z.object({
  text: requiredText('text', 65_536),
  backgroundColor: z
    .string()
    .refine((color) => argbOf(color) !== null, { error: 'backgroundColor must be a colour like #FF5733' })
    .optional()
    .meta({ example: '#FF5733' }),
  font: integerField('font', 0, 5).optional(),
});
export type TextStoryBody = z.infer<typeof textStoryBody>;

/** The `story.post` payload of a text story (audience: the connector's known contacts). */
export function textStoryPayload(body: TextStoryBody): CommandPayload {
  const backgroundArgb = body.backgroundColor === undefined ? null : argbOf(body.backgroundColor);
  return {
    'wa.commands.PostStory': {
      content: { 'wa.conversation.TextContent': { text: body.text, linkPreview: null, backgroundArgb, textArgb: null, font: body.font ?? null } },
      audienceJids: [],
    },
  };
}

/** `POST /stories/image` and `/stories/video` body. */
export const mediaStoryBody = z.object({ media: mediaField('media'), caption: optionalText(4_096) });
export type MediaStoryBody = z.infer<typeof mediaStoryBody>;

/** The `story.post` payload of an image or video story whose media is already a reference. */
export function mediaStoryPayload(kind: 'image' | 'video', body: MediaStoryBody, ref: MediaReference): CommandPayload {
  const media = mediaRef(ref);
  const caption = body.caption?.trim() ? body.caption : null;
  const content: StoryContent =
    kind === 'image'
      ? { 'wa.conversation.ImageContent': { media, caption } }
      : { 'wa.conversation.VideoContent': { media, caption, gifPlayback: false, gifAttribution: null } };
  return { 'wa.commands.PostStory': { content, audienceJids: [] } };
}

/** The `story.delete` payload (audience: the one the connector recorded). */
export function deleteStoryPayload(storyId: string): CommandPayload {
  return { 'wa.commands.DeleteStory': { storyId, audienceJids: [] } };
}

/** `GET /stories`: this channel's and its contacts' stories, newest first. */
export const listStories = defineRoute({
  method: 'GET',
  path: '/stories',
  surface: 'whapi',
  operationId: 'listStories',
  summary: 'Get status stories',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  query: offsetPagingSchema,
  responses: readResponses('The stories, newest first', z.array(whapiStorySchema)),
  handler: async (request, services) => {
    const page = await services.reads.stories(request.accountId, pageOf(request.query));
    return dataAnswer(await channelList(services, request.accountId, page.items.map(storyRowToWhapi)));
  },
});

const postedResponses = commandResponses('Posted: the story id (its message id) beside success', sentMessageSchema, { 413: 'Media too large' }, 'spread');

/** `POST /stories/text`. */
export const postTextStory = defineRoute({
  method: 'POST',
  path: '/stories/text',
  surface: 'whapi',
  operationId: 'postTextStory',
  summary: 'Post text story',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  body: textStoryBody,
  responses: postedResponses,
  handler: async (request, services) =>
    whapiCommand(request, services, 'story.post', textStoryPayload(request.body), (result) => ({ kind: 'json', body: sentMessageBody(result) })),
});

function mediaStoryRoute(kind: 'image' | 'video'): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: `/stories/${kind}`,
    surface: 'whapi',
    operationId: kind === 'image' ? 'postImageStory' : 'postVideoStory',
    summary: kind === 'image' ? 'Post image story' : 'Post video story',
    tags: TAGS,
    access: 'account',
    account: 'channel',
    body: mediaStoryBody,
    responses: postedResponses,
    handler: async (request, services) => {
      const ref = await services.media.fromField(request.body.media, 'media');
      return whapiCommand(request, services, 'story.post', mediaStoryPayload(kind, request.body, ref), (result) => ({
        kind: 'json',
        body: sentMessageBody(result),
      }));
    },
  });
}

/** `POST /stories/image` and `/stories/video` (`media`, `caption`). */
export const postImageStory = mediaStoryRoute('image');
export const postVideoStory = mediaStoryRoute('video');

/** What deleting a story answers. */
export const deletedStorySchema = z.object({ id: z.string(), deleted: z.literal(true) });

/** `DELETE /stories/:id`. */
export const deleteStory = defineRoute({
  method: 'DELETE',
  path: '/stories/:id',
  surface: 'whapi',
  operationId: 'deleteStory',
  summary: 'Delete story',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: z.object({ id: storyIdField }),
  body: z.object({}),
  responses: commandResponses('Deleted', deletedStorySchema, { 404: 'Channel or story not found' }),
  handler: async (request, services) =>
    whapiCommand(request, services, 'story.delete', deleteStoryPayload(request.params.id), () => dataAnswer({ id: request.params.id, deleted: true })),
});

/** The `/stories` routes of the WHAPI document. */
export const storyRoutes: AnyRoute[] = [listStories, postTextStory, postImageStory, postVideoStory, deleteStory];
