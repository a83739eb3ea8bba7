import { z } from 'zod';
import { WaError } from '../../../shared/index.js';
import type { UploadedFile } from '../../http/route.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { responses } from '../shared/index.js';
import { documentedFields, documentedFieldsSchema } from './documentedFields.js';
import { mediaIdField } from './whapiFields.js';

const TAGS = ['Media'] as const;

/** What an upload answers: `{ mediaId, url, mimetype }`. */
export const uploadedMediaSchema = z.object({
  mediaId: z.string().meta({ description: 'SHA-256 of the file (hex): use it as `media` in sends, or GET /media/:id', example: 'a'.repeat(64) }),
  url: z.string().meta({ example: `/media/${'a'.repeat(64)}` }),
  mimetype: z.string().meta({ example: 'image/jpeg' }),
});
export type UploadedMediaBody = z.infer<typeof uploadedMediaSchema>;

/** The answer of an upload: where the stored file is served. */
export function uploadedMediaBody(file: UploadedFile): UploadedMediaBody {
  return { mediaId: file.mediaId, url: `/media/${file.mediaId}`, mimetype: file.mimetype ?? 'application/octet-stream' };
}

/** `POST /media/upload`: multipart, the file in `file`. */
export const uploadMedia = defineRoute({
  method: 'POST',
  path: '/media/upload',
  surface: 'whapi',
  operationId: 'uploadMedia',
  summary: 'Upload media file (multipart/form-data)',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  multipart: { files: ['file'], required: true },
  responses: responses(
    { 200: { description: '{ mediaId, url, mimetype }', schema: documentedFieldsSchema(uploadedMediaSchema), layout: 'spread' } },
    { 400: 'file is required as a multipart/form-data file', 413: 'File too large' },
  ),
  handler: async (request) => {
    const file = request.files.find((part) => part.field === 'file');
    if (file === undefined) throw new WaError('INVALID_ARGUMENT', 'file is required as a multipart/form-data file', { field: 'file' });
    return documentedFields(uploadedMediaBody(file));
  },
});

/** `GET /media/:id`: the stored file, streamed with its type and length. */
export const downloadMedia = defineRoute({
  method: 'GET',
  path: '/media/:id',
  surface: 'whapi',
  operationId: 'downloadMedia',
  summary: 'Download media by ID',
  tags: TAGS,
  access: 'account',
  account: 'channel',
  params: z.object({ id: mediaIdField }),
  responses: responses(
    { 200: { description: 'The file, with its Content-Type and Content-Length', contentType: 'application/octet-stream' } },
    { 400: 'id is not a media id', 404: 'Media not found' },
  ),
  handler: async (request, services) => {
    const { media, stream } = await services.media.open(request.params.id);
    return { kind: 'stream', stream, contentType: media.mimetype ?? 'application/octet-stream', contentLength: media.size };
  },
});

/** The `/media` routes of the WHAPI document. */
export const mediaRoutes: AnyRoute[] = [uploadMedia, downloadMedia];
