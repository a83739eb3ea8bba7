import { z } from 'zod';
import type { JsonResult } from '../../http/route.js';

/**
 * An answer the document shows as bare fields (`{ name, status, picture }`, `{ mediaId, url,
 * mimetype }`) although every other answer is `{ success, data }`: the fields sit beside
 * `success` and again in `data`, so a client reading either way finds them. The route documents
 * its answer with `documentedFieldsSchema` and `layout: 'spread'`.
 */
export function documentedFields<T extends Record<string, unknown>>(fields: T): JsonResult {
  return { kind: 'json', body: { ...fields, data: fields } };
}

/** The schema of a `documentedFields` answer (beside `success`). */
export function documentedFieldsSchema<S extends z.ZodObject>(schema: S) {
  return schema.extend({ data: schema });
}
