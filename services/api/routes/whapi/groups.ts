import { z } from 'zod';
import { PERSON, isJidOf, jidUser, type CommandPayload } from '../../../shared/commands/index.js';
import { WaError } from '../../../shared/index.js';
import type { GroupRow } from '../../../../projections/readModels/index.js';
import type { CommandResultValue } from '../../ApiServices.js';
import { resultBranch } from '../../http/commandOutcome.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { optionalText } from '../shared/index.js';
import { groupIdField, jidField, listField, requiredText } from './whapiFields.js';
import { whapiPagedList } from './whapiList.js';
import { commandResponses, dataAnswer, readResponses, whapiCommand } from './whapiCommand.js';

const TAGS = ['Groups'] as const;
/** WhatsApp's limits: a group name of 100 characters, 1024 members. */
const SUBJECT_MAX = 100;
const DESCRIPTION_MAX = 2_048;
const MEMBERS_MAX = 1_024;

/** A group (or community) as answered. */
export const whapiGroupSchema = z.object({
  id: z.string().meta({ example: '120363012345678901@g.us' }),
  name: z.string().nullable(),
  description: z.string().nullable(),
  owner: z.string().nullable(),
  createdAt: z.number().int().nullable().meta({ description: 'milliseconds since the epoch' }),
  announce: z.boolean().meta({ description: 'only admins may send messages' }),
  restrict: z.boolean().meta({ description: 'only admins may edit group info' }),
  isCommunity: z.boolean(),
  parentId: z.string().nullable().meta({ description: 'the community this group belongs to' }),
  participants: z.array(
    z.object({
      id: z.string(),
      phone: z.string().nullable(),
      role: z.enum(['member', 'admin', 'superadmin']),
    }),
  ),
  left: z.boolean().meta({ description: 'this channel has left the group' }),
});
export type WhapiGroup = z.infer<typeof whapiGroupSchema>;

/** A group row as answered. */
export function groupRowToWhapi(row: GroupRow): WhapiGroup {
  return {
    id: row.jid,
    name: row.subject,
    description: row.description,
    owner: row.owner,
    createdAt: row.createdAt,
    announce: row.announce,
    restrict: row.restrict,
    isCommunity: row.isCommunity,
    parentId: row.parentJid,
    participants: row.participants.map((p) => ({ id: p.jid, phone: p.phone, role: p.role })),
    left: row.left,
  };
}

/** `wa.account.GroupMetadata` as decoded (the fields answered). */
export interface GroupMetadataValue {
  id: string;
  subject: string | null;
  description: string | null;
  owner: string | null;
  creation: number | null;
  restrict: boolean | null;
  announce: boolean | null;
  isCommunity: boolean | null;
  linkedParent: string | null;
  participants: { jid: string; phoneNumber: string | null; role: string }[] | null;
}

const ROLES: Readonly<Record<string, WhapiGroup['participants'][number]['role']>> = { MEMBER: 'member', ADMIN: 'admin', SUPERADMIN: 'superadmin' };

/** The group a group command (`group.create`, `group.update`) answered. */
export function groupMetadataToWhapi(group: GroupMetadataValue): WhapiGroup {
  return {
    id: group.id,
    name: group.subject,
    description: group.description,
    owner: group.owner,
    createdAt: group.creation,
    announce: group.announce ?? false,
    restrict: group.restrict ?? false,
    isCommunity: group.isCommunity ?? false,
    parentId: group.linkedParent,
    participants: (group.participants ?? []).map((p) => ({ id: p.jid, phone: phoneOf(p.phoneNumber ?? p.jid), role: ROLES[p.role] ?? 'member' })),
    left: false,
  };
}

function phoneOf(jid: string): string | null {
  return isJidOf(jid, ['user']) ? jidUser(jid) : null;
}

const participantList = listField('participants', jidField(PERSON, 'participants[]'), 1, MEMBERS_MAX);

/** `POST /groups` body. */
export const createGroupBody = z.object({ name: requiredText('name', SUBJECT_MAX), participants: participantList });
export type CreateGroupBody = z.infer<typeof createGroupBody>;

/** The `group.create` payload (each member once). */
export function createGroupPayload(body: CreateGroupBody): CommandPayload {
  return { 'wa.commands.CreateGroup': { subject: body.name, participants: [...new Set(body.participants)], description: null } };
}

/** `PUT /groups/:id` body: what is absent stays unchanged; an empty description removes it. */
export const updateGroupBody = z
  .object({ name: requiredText('name', SUBJECT_MAX).optional(), description: optionalText(DESCRIPTION_MAX) })
  .refine((body) => body.name !== undefined || body.description !== undefined, { error: 'name or description is required' });
export type UpdateGroupBody = z.infer<typeof updateGroupBody>;

/** The `group.update` payload (null = unchanged). */
export function updateGroupPayload(groupJid: string, body: UpdateGroupBody): CommandPayload {
  return {
    'wa.commands.UpdateGroup': {
      groupJid,
      subject: body.name ?? null,
      description: body.description ?? null,
      announce: null,
      restrict: null,
      memberAddMode: null,
      joinApprovalMode: null,
      ephemeralDurationSeconds: null,
    },
  };
}

/** `POST`/`DELETE /groups/:id/participants`, `/promote`, `/demote` body. */
export const participantsBody = z.object({ participants: participantList });

/** The `group.participants.*` payload (each member once). */
export function participantsPayload(groupJid: string, participants: readonly string[]): CommandPayload {
  return { 'wa.commands.ChangeGroupParticipants': { groupJid, participants: [...new Set(participants)] } };
}

/** The `group.leave`, `group.invite.get` and `group.invite.revoke` payload. */
export function groupTargetPayload(groupJid: string): CommandPayload {
  return { 'wa.commands.GroupTarget': { groupJid } };
}

/** What a participants change answers: one outcome per member (WhatsApp's status code: 200 done, 403, 404, 408, 409...). */
export const participantsResultSchema = z.object({
  groupId: z.string(),
  participants: z.array(z.object({ id: z.string(), success: z.boolean(), statusCode: z.number().int(), error: z.string().nullable() })),
});
export type ParticipantsResultBody = z.infer<typeof participantsResultSchema>;

interface GroupParticipantsResultValue {
  groupJid: string;
  results: { jid: string; statusCode: number; error: string | null }[];
}

/** The answer of a `group.participants.*` command. */
export function participantsResultBody(result: CommandResultValue): ParticipantsResultBody {
  const value = resultBranch<GroupParticipantsResultValue>(result, 'wa.commands.GroupParticipantsResult');
  return {
    groupId: value.groupJid,
    participants: value.results.map((r) => ({ id: r.jid, success: r.statusCode === 200, statusCode: r.statusCode, error: r.error })),
  };
}

/** What the invite routes answer. */
export const inviteSchema = z.object({
  groupId: z.string(),
  code: z.string().meta({ example: 'AbCdEfGhIjK1234567890' }),
  url: z.string().meta({ example: 'https://chat.whatsapp.com/AbCdEfGhIjK1234567890' }),
});
export type InviteBody = z.infer<typeof inviteSchema>;

/** The answer of `group.invite.get` / `group.invite.revoke`. */
export function inviteBody(result: CommandResultValue): InviteBody {
  const value = resultBranch<{ groupJid: string; code: string; url: string }>(result, 'wa.commands.InviteLinkResult');
  return { groupId: value.groupJid, code: value.code, url: value.url };
}

/** The answer of a command whose result is `wa.account.GroupMetadata`. */
export function groupResultBody(result: CommandResultValue): WhapiGroup {
  return groupMetadataToWhapi(resultBranch<GroupMetadataValue>(result, 'wa.account.GroupMetadata'));
}

const groupParams = z.object({ id: groupIdField('id') });
const noBody = z.object({});

/** `GET /groups`. */
export const listGroups = whapiPagedList({ path: '/groups', operationId: 'listGroups', summary: 'Get all groups', tags: TAGS, description: 'The groups', item: whapiGroupSchema, fetch: (reads, accountId, page) => reads.groups(accountId, page), toItem: groupRowToWhapi });

/** `POST /groups`. */
export const createGroup = defineRoute({
  method: 'POST',
  path: '/groups',
  surface: 'whapi',
  operationId: 'createGroup',
  summary: 'Create new group',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  body: createGroupBody,
  responses: commandResponses('The new group', whapiGroupSchema),
  handler: async (request, services) => whapiCommand(request, services, 'group.create', createGroupPayload(request.body), (result) => dataAnswer(groupResultBody(result))),
});

/** `GET /groups/:id`: the group and its members. */
export const getGroup = defineRoute({
  method: 'GET',
  path: '/groups/:id',
  surface: 'whapi',
  operationId: 'getGroup',
  summary: 'Get group info and members',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: groupParams,
  responses: readResponses('The group', whapiGroupSchema, { 404: 'Group not found' }),
  handler: async (request, services) => {
    const row = await services.reads.group(request.accountId, request.params.id);
    if (row === null) throw new WaError('NOT_FOUND', 'Group not found', { field: 'id' });
    return dataAnswer(groupRowToWhapi(row));
  },
});

/** `PUT /groups/:id`. */
export const updateGroup = defineRoute({
  method: 'PUT',
  path: '/groups/:id',
  surface: 'whapi',
  operationId: 'updateGroup',
  summary: 'Update group name/description',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: groupParams,
  body: updateGroupBody,
  responses: commandResponses('The group as updated', whapiGroupSchema),
  handler: async (request, services) =>
    whapiCommand(request, services, 'group.update', updateGroupPayload(request.params.id, request.body), (result) => dataAnswer(groupResultBody(result))),
});

/** What leaving answers. */
export const leftSchema = z.object({ groupId: z.string(), left: z.literal(true) });

/** `DELETE /groups/:id`: this channel leaves the group. */
export const leaveGroup = defineRoute({
  method: 'DELETE',
  path: '/groups/:id',
  surface: 'whapi',
  operationId: 'leaveGroup',
  summary: 'Leave group',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: groupParams,
  body: noBody,
  responses: commandResponses('Left the group', leftSchema),
  handler: async (request, services) =>
    whapiCommand(request, services, 'group.leave', groupTargetPayload(request.params.id), () => dataAnswer({ groupId: request.params.id, left: true })),
});

type ParticipantsCommand = 'group.participants.add' | 'group.participants.remove' | 'group.participants.promote' | 'group.participants.demote';

function participantsRoute(method: 'POST' | 'DELETE', suffix: string, type: ParticipantsCommand, operationId: string, summary: string): AnyRoute {
  return defineRoute({
    method,
    path: `/groups/:id/participants${suffix}`,
    surface: 'whapi',
    operationId,
    summary,
    tags: TAGS,
    access: 'account',
    account: 'channel',
    params: groupParams,
    body: participantsBody,
    responses: commandResponses('The outcome per member', participantsResultSchema),
    handler: async (request, services) =>
      whapiCommand(request, services, type, participantsPayload(request.params.id, request.body.participants), (result) => dataAnswer(participantsResultBody(result))),
  });
}

/** `POST` / `DELETE /groups/:id/participants`, `POST .../promote`, `.../demote`. */
export const addParticipants = participantsRoute('POST', '', 'group.participants.add', 'addGroupParticipants', 'Add participants to group');
export const removeParticipants = participantsRoute('DELETE', '', 'group.participants.remove', 'removeGroupParticipants', 'Remove participants from group');
export const promoteParticipants = participantsRoute('POST', '/promote', 'group.participants.promote', 'promoteGroupParticipants', 'Promote members to admin');
export const demoteParticipants = participantsRoute('POST', '/demote', 'group.participants.demote', 'demoteGroupParticipants', 'Demote admins to members');

/** `GET /groups/:id/invite`: asked from WhatsApp. */
export const getGroupInvite = defineRoute({
  method: 'GET',
  path: '/groups/:id/invite',
  surface: 'whapi',
  operationId: 'getGroupInvite',
  summary: 'Get group invite link',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: groupParams,
  responses: commandResponses('The invite link', inviteSchema),
  handler: async (request, services) => whapiCommand(request, services, 'group.invite.get', groupTargetPayload(request.params.id), (result) => dataAnswer(inviteBody(result))),
});

/** `POST /groups/:id/invite/revoke`: the old link stops working, a new one is answered. */
export const revokeGroupInvite = defineRoute({
  method: 'POST',
  path: '/groups/:id/invite/revoke',
  surface: 'whapi',
  operationId: 'revokeGroupInvite',
  summary: 'Revoke invite link (generate new)',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: groupParams,
  body: noBody,
  responses: commandResponses('The new invite link', inviteSchema),
  handler: async (request, services) =>
    whapiCommand(request, services, 'group.invite.revoke', groupTargetPayload(request.params.id), (result) => dataAnswer(inviteBody(result))),
});

/** The `/groups` routes of the WHAPI document. */
export const groupRoutes: AnyRoute[] = [
  listGroups,
  createGroup,
  getGroup,
  updateGroup,
  leaveGroup,
  addParticipants,
  removeParticipants,
  promoteParticipants,
  demoteParticipants,
  getGroupInvite,
  revokeGroupInvite,
];
