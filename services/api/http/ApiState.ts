import type { AnyRoute, Principal, UploadedFile } from './route.js';

/** What the middleware chain learns about one request, kept on `ctx.state`. */
export interface ApiState {
  requestId: string;
  /** Aborted when the response closes (the client went away, or the answer is complete). */
  signal: AbortSignal;
  /** The matched route; unset for unknown paths (their errors take the surface of the path). */
  route: AnyRoute | undefined;
  principal: Principal;
  /** The account the route is about, once resolved. */
  accountId: string | null;
  idempotencyKey: string | null;
  /** The parsed, not yet validated body (JSON, form fields or multipart text fields). */
  rawBody: unknown;
  files: UploadedFile[];
}
