import { z } from 'zod';
import type { CommandPayload } from '../../../shared/commands/index.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { documentedFields, documentedFieldsSchema } from './documentedFields.js';
import { profileBody, profileSchema } from './profileViews.js';
import { mediaField } from './whapiFields.js';
import { commandResponses, whapiCommand } from './whapiCommand.js';

const TAGS = ['Users'] as const;
/** WhatsApp's limits: a display name of 25 characters, an about text of 139. */
const NAME_MAX = 25;
const STATUS_MAX = 139;

/** `PATCH /users/profile` body: what is absent stays unchanged. */
export const updateProfileBody = z
  .object({
    name: z.string().trim().min(1, { error: 'name must not be empty' }).max(NAME_MAX, { error: `name is at most ${NAME_MAX} characters` }).optional(),
    status: z.string().max(STATUS_MAX, { error: `status is at most ${STATUS_MAX} characters` }).optional(),
  })
  .refine((body) => body.name !== undefined || body.status !== undefined, { error: 'name or status is required' });
export type UpdateProfileBody = z.infer<typeof updateProfileBody>;

/** The `profile.update` payload (null = unchanged). */
export function updateProfilePayload(body: UpdateProfileBody): CommandPayload {
  return { 'wa.commands.UpdateProfile': { name: body.name ?? null, statusText: body.status ?? null } };
}

/** `PUT /users/profile/picture` body. */
export const profilePictureBody = z.object({ image: mediaField('image') });

/** The `profile.picture.update` payload of this channel's own picture. */
export function profilePicturePayload(mediaId: string): CommandPayload {
  return { 'wa.commands.UpdateProfilePicture': { mediaId, jid: null } };
}

const profileResponses = commandResponses('{ name, status, picture }', documentedFieldsSchema(profileSchema), {}, 'spread');

/** `GET /users/profile`: asked from WhatsApp. */
export const getOwnProfile = defineRoute({
  method: 'GET',
  path: '/users/profile',
  surface: 'whapi',
  operationId: 'getOwnProfile',
  summary: 'Get own profile',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  responses: profileResponses,
  handler: async (request, services) =>
    whapiCommand(request, services, 'profile.fetch', { 'wa.commands.FetchProfile': { jid: null } }, (result) => documentedFields(profileBody(result))),
});

/** `PATCH /users/profile`. */
export const updateOwnProfile = defineRoute({
  method: 'PATCH',
  path: '/users/profile',
  surface: 'whapi',
  operationId: 'updateOwnProfile',
  summary: 'Update profile',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  body: updateProfileBody,
  responses: profileResponses,
  handler: async (request, services) =>
    whapiCommand(request, services, 'profile.update', updateProfilePayload(request.body), (result) => documentedFields(profileBody(result))),
});

/** `PUT /users/profile/picture`. */
export const updateProfilePicture = defineRoute({
  method: 'PUT',
  path: '/users/profile/picture',
  surface: 'whapi',
  operationId: 'updateProfilePicture',
  summary: 'Update profile picture',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  body: profilePictureBody,
  responses: commandResponses('{ name, status, picture } with the new picture', documentedFieldsSchema(profileSchema), { 413: 'Image too large' }, 'spread'),
  handler: async (request, services) => {
    const ref = await services.media.fromField(request.body.image, 'image');
    return whapiCommand(request, services, 'profile.picture.update', profilePicturePayload(ref.mediaId), (result) => documentedFields(profileBody(result)));
  },
});

/** The `/users` routes of the WHAPI document. */
export const userRoutes: AnyRoute[] = [getOwnProfile, updateOwnProfile, updateProfilePicture];
