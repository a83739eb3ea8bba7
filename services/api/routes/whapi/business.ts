import { z } from 'zod';
import type { CommandPayload } from '../../../shared/commands/index.js';
import type { CommandResultValue } from '../../ApiServices.js';
import { resultBranch } from '../../http/commandOutcome.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { documentedFields, documentedFieldsSchema } from './documentedFields.js';
import { commandResponses, whapiCommand } from './whapiCommand.js';
import { httpUrlField } from './whapiFields.js';

const TAGS = ['Business'] as const;

/** The business categories WhatsApp Business offers when a profile is set up. */
export const BUSINESS_CATEGORIES: readonly { id: string; name: string }[] = [
  { id: 'AUTOMOTIVE', name: 'Automotive Service' },
  { id: 'BEAUTY', name: 'Beauty, Cosmetic & Personal Care' },
  { id: 'APPAREL', name: 'Clothing (Apparel & Clothing)' },
  { id: 'EDU', name: 'Education' },
  { id: 'ENTERTAIN', name: 'Entertainment' },
  { id: 'EVENT_PLAN', name: 'Event Planning & Service' },
  { id: 'FINANCE', name: 'Finance' },
  { id: 'GROCERY', name: 'Grocery Store' },
  { id: 'GOVT', name: 'Public & Government Service' },
  { id: 'HOTEL', name: 'Hotel & Lodging' },
  { id: 'HEALTH', name: 'Medical & Health' },
  { id: 'NONPROFIT', name: 'Non-profit Organization' },
  { id: 'PROF_SERVICES', name: 'Professional Services' },
  { id: 'RESTAURANT', name: 'Restaurant' },
  { id: 'RETAIL', name: 'Shopping & Retail' },
  { id: 'TRAVEL', name: 'Travel & Transportation' },
  { id: 'OTHER', name: 'Other' },
];

/** A business profile as the document shows it: `{ description, email, websites[], address, category }`. */
export const businessProfileSchema = z.object({
  description: z.string().nullable(),
  email: z.string().nullable().meta({ example: 'shop@example.com' }),
  websites: z.array(z.string()).meta({ example: ['https://example.com'] }),
  address: z.string().nullable(),
  category: z.string().nullable(),
});
export type BusinessProfileBody = z.infer<typeof businessProfileSchema>;

interface BusinessProfileValue {
  description: string | null;
  email: string | null;
  websites: string[];
  address: string | null;
  category: string | null;
}

/** The profile `business.profile.fetch` / `business.profile.update` answered. */
export function businessProfileBody(result: CommandResultValue): BusinessProfileBody {
  const profile = resultBranch<BusinessProfileValue>(result, 'wa.account.BusinessProfile');
  return { description: profile.description, email: profile.email, websites: [...profile.websites], address: profile.address, category: profile.category };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `PATCH /business/profile` body: what is absent stays unchanged; an empty value clears it. */
export const updateBusinessProfileBody = z
  .object({
    description: z.string().max(512, { error: 'description is at most 512 characters' }).optional(),
    email: z
      .string()
      .max(254, { error: 'email is at most 254 characters' })
      .refine((email) => email === '' || EMAIL.test(email), { error: 'email must be an e-mail address' })
      .optional(),
    website: httpUrlField('website', { allowEmpty: true }).optional(),
    address: z.string().max(256, { error: 'address is at most 256 characters' }).optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), { error: 'description, email, website or address is required' });
export type UpdateBusinessProfileBody = z.infer<typeof updateBusinessProfileBody>;

/** The `business.profile.update` payload: the one `website` becomes `websites` (empty clears them); null = unchanged. */
export function updateBusinessProfilePayload(body: UpdateBusinessProfileBody): CommandPayload {
  return {
    'wa.commands.UpdateBusinessProfile': {
      description: body.description ?? null,
      email: body.email ?? null,
      websites: body.website === undefined ? null : body.website === '' ? [] : [body.website],
      address: body.address ?? null,
      category: null,
    },
  };
}

const profileResponses = commandResponses('{ description, email, websites[], address, category }', documentedFieldsSchema(businessProfileSchema),
  { 404: 'Channel not found, or it is not a WhatsApp Business account' },
  'spread',
);

/** `GET /business/profile`: asked from WhatsApp. */
export const getBusinessProfile = defineRoute({
  method: 'GET',
  path: '/business/profile',
  surface: 'whapi',
  operationId: 'getBusinessProfile',
  summary: 'Get business profile',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  responses: profileResponses,
  handler: async (request, services) =>
    whapiCommand(request, services, 'business.profile.fetch', { 'wa.commands.FetchProfile': { jid: null } }, (result) => documentedFields(businessProfileBody(result))),
});

/** `PATCH /business/profile`. */
export const updateBusinessProfile = defineRoute({
  method: 'PATCH',
  path: '/business/profile',
  surface: 'whapi',
  operationId: 'updateBusinessProfile',
  summary: 'Update business profile',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  body: updateBusinessProfileBody,
  responses: profileResponses,
  handler: async (request, services) =>
    whapiCommand(request, services, 'business.profile.update', updateBusinessProfilePayload(request.body), (result) => documentedFields(businessProfileBody(result))),
});

/** The categories answer: `{ categories: [...] }`. */
export const categoriesSchema = z.object({ categories: z.array(z.object({ id: z.string(), name: z.string() })) });

/** `GET /business/categories`: a fixed list, for any valid key (no channel needed). */
export const listBusinessCategories = defineRoute({
  method: 'GET',
  path: '/business/categories',
  surface: 'whapi',
  operationId: 'listBusinessCategories',
  summary: 'Get available business categories',
  tags: TAGS,
  access: 'key',
  responses: {
    200: { description: '{ categories: [...] }', schema: documentedFieldsSchema(categoriesSchema), layout: 'spread' },
    401: { description: 'Missing or unknown API key (X-API-Key or Authorization: Bearer)' },
    429: { description: 'Too many requests: retry after the Retry-After header' },
  },
  handler: async () => documentedFields({ categories: BUSINESS_CATEGORIES.map((category) => ({ ...category })) }),
});

/** The `/business` routes of the WHAPI document. */
export const businessRoutes: AnyRoute[] = [getBusinessProfile, updateBusinessProfile, listBusinessCategories];
