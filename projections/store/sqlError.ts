import { WaError } from '../../services/shared/index.js';

/** The SQLSTATE of a database error (both engines put it in `code`), or null. */
export function sqlStateOf(error: unknown): string | null {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

// Classes that say nothing about the statement: the connection, the server or a conflicting
// transaction failed, so the same work can succeed later.
const RETRIABLE_CLASSES = ['08', '40', '53', '57', '58'];

/**
 * True when a statement failed because of the values it was given (cardinality violation, data
 * exception, integrity violation): running it again fails again, so the event is set aside.
 */
export function isDataError(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== null && ['21', '22', '23'].includes(state.slice(0, 2));
}

/** A database failure as a WaError: retriable when the engine or the connection failed, not the statement. */
export function sqlError(error: unknown, action: string): WaError {
  if (error instanceof WaError) return error;
  const state = sqlStateOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const network = typeof error === 'object' && error !== null && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(String((error as { code?: unknown }).code));
  const retriable = network || (state !== null && RETRIABLE_CLASSES.includes(state.slice(0, 2)));
  return new WaError(retriable ? 'UNAVAILABLE' : 'INTERNAL', `${action}: ${message}`, {
    cause: error,
    retriable,
    ...(state === null ? {} : { details: { sqlState: state } }),
  });
}

/** A schema name safe to splice into SQL (it cannot be a parameter). */
export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new WaError('INVALID_CONFIG', `read-model schema "${schema}" must be lower-case letters, digits and underscores`, { field: 'schema' });
  }
  return schema;
}
