import { z } from 'zod';
import { PERSON, type CommandPayload } from '../../../shared/commands/index.js';
import type { ContactRow } from '../../../../projections/readModels/index.js';
import type { CommandResultValue } from '../../ApiServices.js';
import { resultBranch } from '../../http/commandOutcome.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { offsetPagingSchema, pageOf, phoneField } from '../shared/index.js';
import { documentedFields, documentedFieldsSchema } from './documentedFields.js';
import { profileBody, profileSchema } from './profileViews.js';
import { channelList, jidField, listField } from './whapiFields.js';
import { commandResponses, dataAnswer, readResponses, whapiCommand } from './whapiCommand.js';

const TAGS = ['Contacts'] as const;

/** A contact as answered. */
export const whapiContactSchema = z.object({
  id: z.string().meta({ example: '79991234567@s.whatsapp.net' }),
  phone: z.string().nullable().meta({ example: '79991234567' }),
  lid: z.string().nullable(),
  name: z.string().nullable().meta({ description: 'the name in this account’s address book' }),
  pushName: z.string().nullable().meta({ description: 'the name the contact chose' }),
  verifiedName: z.string().nullable().meta({ description: 'verified business name' }),
  picture: z.string().nullable(),
  status: z.string().nullable().meta({ description: 'the "about" text' }),
  blocked: z.boolean(),
});
export type WhapiContact = z.infer<typeof whapiContactSchema>;

/** A contact row as answered. */
export function contactRowToWhapi(row: ContactRow): WhapiContact {
  return {
    id: row.jid,
    phone: row.phone,
    lid: row.lid,
    name: row.name,
    pushName: row.notify,
    verifiedName: row.verifiedName,
    picture: row.pictureUrl,
    status: row.status,
    blocked: row.blocked,
  };
}

/** `POST /contacts/check` body. */
export const checkPhonesBody = z.object({
  phones: listField('phones', phoneField({ field: 'phones[]', required: 'phones[] must not be empty' }), 1, 100),
});
export type CheckPhonesBody = z.infer<typeof checkPhonesBody>;

/** The `contact.check` payload: the numbers as written, so each answer names the number asked. */
export function checkPhonesPayload(body: CheckPhonesBody): CommandPayload {
  return { 'wa.commands.CheckPhones': { phones: body.phones.map((phone) => phone.trim()) } };
}

/** One answer of `POST /contacts/check`, as the document's example shows it. */
export const phoneCheckSchema = z.object({
  phone: z.string().meta({ example: '79991234567' }),
  exists: z.boolean(),
  jid: z.string().nullable().meta({ example: '79991234567@s.whatsapp.net' }),
});
export type PhoneCheckBody = z.infer<typeof phoneCheckSchema>;

interface ContactCheckResultValue {
  results: { phone: string; exists: boolean; jid: string | null }[];
}

/** The answer of a `contact.check`: one entry per number asked, in order. */
export function phoneChecksBody(result: CommandResultValue): PhoneCheckBody[] {
  return resultBranch<ContactCheckResultValue>(result, 'wa.commands.ContactCheckResult').results.map((check) => ({
    phone: check.phone,
    exists: check.exists,
    jid: check.exists ? check.jid : null,
  }));
}

/** The `contact.block` / `contact.unblock` payload. */
export function contactTargetPayload(jid: string): CommandPayload {
  return { 'wa.commands.ContactTarget': { jid } };
}

/** The `profile.fetch` payload of a contact (or, with null, of this account). */
export function fetchProfilePayload(jid: string | null): CommandPayload {
  return { 'wa.commands.FetchProfile': { jid } };
}

const phoneParams = z.object({ phone: jidField(PERSON, 'phone') });

/** `GET /contacts`. */
export const listContacts = defineRoute({
  method: 'GET',
  path: '/contacts',
  surface: 'whapi',
  operationId: 'listContacts',
  summary: 'Get all contacts',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  query: offsetPagingSchema,
  responses: readResponses('The contacts', z.array(whapiContactSchema)),
  handler: async (request, services) => {
    const page = await services.reads.contacts(request.accountId, pageOf(request.query));
    return dataAnswer(await channelList(services, request.accountId, page.items.map(contactRowToWhapi)));
  },
});

/** `POST /contacts/check`. */
export const checkContacts = defineRoute({
  method: 'POST',
  path: '/contacts/check',
  surface: 'whapi',
  operationId: 'checkContacts',
  summary: 'Check if phones have WhatsApp',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  body: checkPhonesBody,
  responses: commandResponses('One answer per number, in order', z.array(phoneCheckSchema)),
  handler: async (request, services) => whapiCommand(request, services, 'contact.check', checkPhonesPayload(request.body), (result) => dataAnswer(phoneChecksBody(result))),
});

/** `GET /contacts/blocked`: the blocked JIDs. */
export const listBlocked = defineRoute({
  method: 'GET',
  path: '/contacts/blocked',
  surface: 'whapi',
  operationId: 'listBlockedContacts',
  summary: 'Get blocked contacts',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  responses: readResponses('The blocked contacts’ JIDs', z.array(z.string().meta({ example: '79991234567@s.whatsapp.net' }))),
  handler: async (request, services) => dataAnswer(await channelList(services, request.accountId, await services.reads.blocked(request.accountId))),
});

/** What block and unblock answer. */
export const blockSchema = z.object({ jid: z.string(), blocked: z.boolean() });

function blockRoute(action: 'block' | 'unblock'): AnyRoute {
  return defineRoute({
    method: 'POST',
    path: `/contacts/:phone/${action}`,
    surface: 'whapi',
    operationId: `${action}Contact`,
    summary: action === 'block' ? 'Block a contact' : 'Unblock a contact',
    tags: TAGS,
    access: 'account',
    account: 'channel',
    params: phoneParams,
    body: z.object({}),
    responses: commandResponses(action === 'block' ? 'Blocked' : 'Unblocked', blockSchema),
    handler: async (request, services) => {
      const jid = request.params.phone;
      return whapiCommand(request, services, `contact.${action}`, contactTargetPayload(jid), () => dataAnswer({ jid, blocked: action === 'block' }));
    },
  });
}

/** `POST /contacts/:phone/block` and `/unblock`. */
export const blockContact = blockRoute('block');
export const unblockContact = blockRoute('unblock');

/** `GET /contacts/:phone/profile`: asked from WhatsApp. */
export const getContactProfile = defineRoute({
  method: 'GET',
  path: '/contacts/:phone/profile',
  surface: 'whapi',
  operationId: 'getContactProfile',
  summary: 'Get contact profile picture & status',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: phoneParams,
  responses: commandResponses('{ name, status, picture } (null when hidden by privacy settings)', documentedFieldsSchema(profileSchema), {}, 'spread'),
  handler: async (request, services) =>
    whapiCommand(request, services, 'profile.fetch', fetchProfilePayload(request.params.phone), (result) => documentedFields(profileBody(result))),
});

/** The `/contacts` routes of the WHAPI document. */
export const contactRoutes: AnyRoute[] = [listContacts, checkContacts, listBlocked, blockContact, unblockContact, getContactProfile];
