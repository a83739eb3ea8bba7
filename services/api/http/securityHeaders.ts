import type { Middleware } from 'koa';
import type { ApiState } from './ApiState.js';

/** An API answers JSON and files: nothing in it may load, frame or run anything. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Headers every answer carries: no MIME sniffing, no framing, no referrer, no caching (answers
 * may hold keys), and a Content-Security-Policy; pages (`/docs`) get their own policy.
 */
export function securityHeaders(pagePolicies: Readonly<Record<string, string>>): Middleware<ApiState> {
  return async (ctx, next) => {
    ctx.set({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': pagePolicies[ctx.path] ?? API_POLICY,
    });
    await next();
  };
}
