import type { SqlParam } from '../../store/index.js';
import type { ProjectedEvent } from '../../events/index.js';

/** One parameterised SQL statement an evolve function asks for. */
export interface Statement {
  sql: string;
  params: SqlParam[];
}

// PostgreSQL text cannot hold U+0000; a NUL in a WhatsApp value must not make an event unstorable.
const NUL = /\u0000/g;

function storable(param: SqlParam): SqlParam {
  if (typeof param === 'string') return param.includes('\u0000') ? param.replace(NUL, '') : param;
  if (Array.isArray(param)) return param.map((item: string | null) => (item === null ? null : item.replace(NUL, '')));
  return param;
}

/** A statement; the SQL text is fixed, every value travels as a parameter. */
export function statement(sql: string, params: SqlParam[] = []): Statement {
  return { sql, params: params.map(storable) };
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
