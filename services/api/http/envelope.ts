import { WaError } from '../../shared/index.js';
import type { Layout, ResponseSpec, Surface } from './route.js';

// First path segments of each API document: an unknown path answers in its document's envelope.
const WILDCAT_ROOTS: ReadonlySet<string> = new Set(['accounts', 'ping', 'webhooks']);
const WHAPI_ROOTS: ReadonlySet<string> = new Set([
  'channels', 'messages', 'chats', 'contacts', 'groups', 'stories', 'labels', 'business', 'users', 'media',
  'newsletters', 'communities', 'analytics', 'health', 'settings', 'docs',
]);

/** The surface an unmatched path most likely belongs to, for the envelope of its 404 / 405. */
export function surfaceOfPath(path: string): Surface {
  const first = path.split('/')[1] ?? '';
  if (WILDCAT_ROOTS.has(first)) return 'wildcat';
  if (WHAPI_ROOTS.has(first)) return 'whapi';
  return 'system';
}

/** How a documented response lays its body out: as it says, else `spread` on WILDCAT and `data` elsewhere. */
export function layoutOf(surface: Surface, spec: ResponseSpec | undefined): Layout {
  return spec?.layout ?? (surface === 'wildcat' ? 'spread' : 'data');
}

/** The JSON body of a successful answer: `{ ok: true, ...body }`, `{ success: true, data }`, `{ success: true, ...body }`, or the body alone. */
export function successBody(surface: Surface, layout: Layout, body: unknown): unknown {
  if (layout === 'raw') return body;
  switch (surface) {
    case 'wildcat':
      return { ok: true, ...fieldsOf(body) };
    case 'whapi':
    case 'system':
      return layout === 'spread' ? { success: true, ...fieldsOf(body) } : { success: true, data: body };
    default:
      return unknownSurface(surface);
  }
}

/** The body of a 202: the command id to poll, in the surface's envelope. */
export function acceptedBody(surface: Surface, commandId: string): Record<string, unknown> {
  switch (surface) {
    case 'wildcat':
      return { ok: true, commandId, status: 'pending' };
    case 'whapi':
    case 'system':
      return { success: true, commandId, status: 'pending' };
    default:
      return unknownSurface(surface);
  }
}

// Below 500 the message helps the client fix its request; above it, it would only leak internals.
const SERVER_MESSAGES: Readonly<Record<number, string>> = {
  500: 'internal_error',
  502: 'upstream_error',
  503: 'service_unavailable',
  504: 'timeout',
};

/** The message a client may see for an error answered with `status`. */
export function publicMessage(error: WaError, status: number): string {
  if (status < 500) return error.message;
  return SERVER_MESSAGES[status] ?? 'internal_error';
}

/**
 * The body of an error answer. WILDCAT: `{ ok: false, error: message, code, field? }`;
 * WHAPI and system: `{ success: false, error: { code, message, field? } }`. A failed command's
 * id rides along as `commandId`, so the client can look the command up.
 */
export function errorBody(surface: Surface, error: WaError, status: number): Record<string, unknown> {
  const message = publicMessage(error, status);
  const extra: Record<string, unknown> = {};
  if (error.field !== undefined && status < 500) extra['field'] = error.field;
  const commandId = error.details?.['commandId'];
  if (typeof commandId === 'string') extra['commandId'] = commandId;
  switch (surface) {
    case 'wildcat':
      return { ok: false, error: message, code: error.code, ...extra };
    case 'whapi':
    case 'system':
      return { success: false, error: { code: error.code, message, ...extra } };
    default:
      return unknownSurface(surface);
  }
}

function fieldsOf(body: unknown): Record<string, unknown> {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  throw new WaError('INTERNAL', 'a spread JSON answer must be an object');
}

function unknownSurface(surface: never): never {
  throw new WaError('INTERNAL', `unknown surface ${String(surface)}`);
}
