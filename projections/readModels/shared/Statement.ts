import type { SqlParam } from '../../store/index.js';
import type { ProjectedEvent } from '../../events/index.js';

/** One parameterised SQL statement an evolve function asks for. */
export interface Statement {
  sql: string;
  params: SqlParam[];
  /** How it joins statements of the same form into one over many rows (see `setBased`); absent: it runs on its own. */
  set?: SetForm;
}

/**
 * A kind of statement that many rows can share: `sql` does what the per-event statement does
 * for every row of `$1`, a JSON array of objects `{ p1, p2, ..., n }` (each row's per-event
 * parameters in order, and its place in the statement; see `rowsFrom`). The rows of one
 * statement have different keys; rows of one key in different statements go in event order,
 * after the statements of the forms that appeared before.
 */
export interface SetForm {
  /** For logs and tests. */
  name: string;
  sql: string;
  /**
   * `first`: a statement repeated with the same key, nothing else touching what it touches in
   * between, changes nothing (an insert that does nothing on conflict), so only the first is
   * kept. `waves`: the n-th statement of a key goes in the n-th statement of the form; such a
   * form touches nothing but its key.
   */
  repeat: 'first' | 'waves';
  /** The key of a statement's row, from its (stored) parameters: rows of one key never share a statement. */
  key(params: readonly SqlParam[]): string;
  /**
   * Everything the statement reads or writes, the key included (see `chatTouched`,
   * `messageTouched`): statements of other forms touching none of it commute with it.
   */
  touches(params: readonly SqlParam[]): readonly string[];
}

// PostgreSQL text cannot hold U+0000; a NUL in a WhatsApp value must not make an event unstorable.
const NUL = /\u0000/g;

function storable(param: SqlParam): SqlParam {
  if (typeof param === 'string') return param.includes('\u0000') ? param.replace(NUL, '') : param;
  if (Array.isArray(param)) return param.map((item: string | null) => (item === null ? null : item.replace(NUL, '')));
  return param;
}

/** A statement; the SQL text is fixed, every value travels as a parameter. */
export function statement(sql: string, params: SqlParam[] = [], set?: SetForm): Statement {
  return set === undefined ? { sql, params: params.map(storable) } : { sql, params: params.map(storable), set };
}

/** A read model: its tables and the pure mapping from an event to the statements that apply it. */
export interface ReadModelDefinition {
  name: string;
  /** Tables this read model owns (for rebuilds and test snapshots). */
  tables: readonly string[];
  /** The SQL that creates them (PGlite and PostgreSQL alike). */
  schema: string;
  /**
   * The statements that apply one event. Applying them twice leaves the same state: natural
   * upserts where the model allows it, guards (forward-only status, newest-wins times) elsewhere.
   */
  evolve(event: ProjectedEvent): Statement[];
}
