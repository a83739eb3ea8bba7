/** The part of a `wa.commands.CommandResult` that says whether it is the command's answer for good. */
export interface ResultOutcome {
  status: string;
  error: { readonly retriable?: unknown } | null;
}

/**
 * Whether a result is the command's answer for good, replayed to every later copy (a client's
 * retry with the same Idempotency-Key). A command that never started is not answered for good:
 * EXPIRED (its deadline passed before it ran) and a retriable REJECTED (refused before any side
 * effect, e.g. NOT_CONNECTED) let a retry with the same key run it. FAILED is for good even when
 * retriable: it was tried, and WhatsApp may have acted on it.
 */
export function settlesCommand(result: ResultOutcome): boolean {
  if (result.status === 'EXPIRED') return false;
  return !(result.status === 'REJECTED' && result.error?.retriable === true);
}

/** `settlesCommand` as SQL over a row of command_results (`status` text, `error` jsonb), for the read model. */
export function settlesCommandSql(row: string): string {
  return `NOT (${row}.status = 'EXPIRED' OR (${row}.status = 'REJECTED' AND coalesce((${row}.error->>'retriable')::boolean, false)))`;
}
