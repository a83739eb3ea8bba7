import type { AnyRoute } from './route.js';

const METHODS_WITH_BODY: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a route reads a request body: it takes fields, files, or a WHAPI channel that may be
 * named in the body, and its method carries one. The core reads (and refuses: 413, 415) only
 * these bodies; the OpenAPI document says so for exactly these routes.
 */
export function readsBody(route: AnyRoute): boolean {
  return (route.body !== undefined || route.multipart !== undefined || route.account === 'channel') && METHODS_WITH_BODY.has(route.method);
}

/**
 * Whether a route reads the `Idempotency-Key` header: routes that act (not reads, whose answer
 * a key would freeze) and need a key. Elsewhere the header is ignored, as the document says.
 */
export function takesIdempotencyKey(route: AnyRoute): boolean {
  return route.method !== 'GET' && route.access !== 'public';
}
