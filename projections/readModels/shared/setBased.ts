import type { SqlParam } from '../../store/index.js';
import type { SetForm, Statement } from './Statement.js';

/** Rows per set-based statement: a few hundred kB of JSON at most. */
const MAX_ROWS = 1_000;

/** A lone surrogate, which JSON.stringify escapes and PostgreSQL's json refuses. */
const LONE_SURROGATE = /\\u[dD][89a-fA-F]/;

/** What a statement touching a chat (its row, or all its messages) names in `SetForm.touches`. */
export function chatTouched(accountId: SqlParam, chatJid: SqlParam): string {
  return `chat\u0000${String(accountId)}\u0000${String(chatJid)}`;
}

/** What a statement touching one message (its row, its state) names in `SetForm.touches`. */
export function messageTouched(accountId: SqlParam, chatJid: SqlParam, messageId: SqlParam): string {
  return `message\u0000${String(accountId)}\u0000${String(chatJid)}\u0000${String(messageId)}`;
}

/** The rows of one form pending in a run. */
interface FormRows {
  form: SetForm;
  /** Where the form's statements go among the run's forms: the order they first appeared in. */
  index: number;
  /** Statements per wave (a `first` form has one wave), in event order. */
  waves: Statement[][];
  /** Statements seen per key. */
  seen: Map<string, number>;
}

/** Statements of set forms not yet written, and what they touch. */
class Run {
  private readonly forms = new Map<SetForm, FormRows>();
  /** For each thing touched, the highest form index of a pending statement touching it. */
  private readonly latest = new Map<string, number>();

  /**
   * True when `row` must not join the run: a pending statement of a form that goes after its
   * own touches something it touches, so the order of the two would change.
   */
  conflicts(form: SetForm, touches: readonly string[]): boolean {
    const own = this.forms.get(form);
    if (own === undefined) return false;
    return touches.some((thing) => (this.latest.get(thing) ?? -1) > own.index);
  }

  add(statement: Statement, form: SetForm, touches: readonly string[]): void {
    let rows = this.forms.get(form);
    if (rows === undefined) {
      rows = { form, index: this.forms.size, waves: [], seen: new Map() };
      this.forms.set(form, rows);
    }
    const key = form.key(statement.params);
    const seen = rows.seen.get(key) ?? 0;
    rows.seen.set(key, seen + 1);
    if (seen > 0 && form.repeat === 'first') return;
    (rows.waves[form.repeat === 'first' ? 0 : seen] ??= []).push(statement);
    for (const thing of touches) this.latest.set(thing, Math.max(this.latest.get(thing) ?? -1, rows.index));
  }

  get empty(): boolean {
    return this.forms.size === 0;
  }

  /** The run as statements: form by form in the order they appeared, wave by wave. */
  statements(): Statement[] {
    const out: Statement[] = [];
    for (const { form, waves } of this.forms.values()) {
      for (const wave of waves) {
        for (let start = 0; start < wave.length; start += MAX_ROWS) {
          const chunk = wave.slice(start, start + MAX_ROWS);
          // One row: its own statement (no JSON to build and parse).
          out.push(chunk.length === 1 ? chunk[0]! : { sql: form.sql, params: [rowsJson(chunk)] });
        }
      }
    }
    return out;
  }
}

/** The parameters of statements as the JSON rows of their set form; `n` numbers the rows in event order. */
function rowsJson(statements: readonly Statement[]): string {
  const rows = statements.map(({ params }, n) => {
    const row: Record<string, unknown> = { n };
    for (let i = 0; i < params.length; i += 1) row[`p${i + 1}`] = params[i];
    return row;
  });
  const json = JSON.stringify(rows);
  if (!LONE_SURROGATE.test(json)) return json;
  // As the per-event statement stores it: a lone surrogate becomes U+FFFD on its way to UTF-8.
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' ? (value as string & { toWellFormed(): string }).toWellFormed() : value));
}

/** The rows of a set form's `$1`, for its FROM clause: `json_to_recordset($1::json) AS r(p1 <type>, ..., n integer)`. */
export function rowsFrom(types: readonly string[]): string {
  return `json_to_recordset($1::json) AS r(${types.map((type, i) => `p${i + 1} ${type}`).join(', ')}, n integer)`;
}

/**
 * The set form of a per-event `INSERT ... VALUES (...)` or `UPDATE ... WHERE ...` whose
 * parameters have the given SQL types: every `$n` reads the row's `r.pn` instead.
 */
export function overRows(sql: string, types: readonly string[]): string {
  const rows = sql.replace(/\$(\d+)/g, 'r.p$1');
  const values = /\bVALUES\s*\(([^;]*?)\)(\s*ON CONFLICT|\s*$)/;
  if (/^\s*INSERT\b/.test(rows) && values.test(rows)) return rows.replace(values, (_all, list: string, rest: string) => `SELECT ${list} FROM ${rowsFrom(types)}${rest}`);
  const where = rows.lastIndexOf('WHERE');
  if (/^\s*UPDATE\b/.test(rows) && where > 0) return `${rows.slice(0, where)}FROM ${rowsFrom(types)}\n${rows.slice(where)}`;
  throw new Error(`no set form for ${sql.slice(0, 60)}`);
}

/**
 * The statements of consecutive events, rewritten to leave the same state with fewer: each
 * run of statements that have a set form becomes one statement per form (and wave), in the
 * order the forms first appeared. A statement without one runs on its own where it stood, and a
 * statement whose order against the run would change starts a new run.
 */
export function setBased(statements: readonly Statement[]): Statement[] {
  const out: Statement[] = [];
  let run = new Run();
  const flush = (): void => {
    if (run.empty) return;
    out.push(...run.statements());
    run = new Run();
  };
  for (const statement of statements) {
    const form = statement.set;
    if (form === undefined) {
      flush();
      out.push(statement);
      continue;
    }
    const touches = form.touches(statement.params);
    if (run.conflicts(form, touches)) flush();
    run.add(statement, form, touches);
  }
  flush();
  return out;
}
