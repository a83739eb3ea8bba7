import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

const SNAPSHOT = 'snapshot.json';
const JOURNAL = 'journal.jsonl';
/** First line of a journal whose entries come in groups (one flush each), each closed by a `{"group":n}` line. */
const GROUPED_FORMAT = '{"journal":2}';
/** Compact once the journal outgrows this and twice the last snapshot. */
const MIN_COMPACT_BYTES = 8 * 1024 * 1024;

/** What a journal folder held at startup: the last snapshot and the entries written after it. */
export interface JournalContents {
  snapshot: unknown;
  entries: unknown[];
}

/**
 * Durable storage for the simulated network: a JSON snapshot plus an append-only journal of
 * JSON lines. Appends are group-committed (one write and one fdatasync for everything queued
 * meanwhile), so acknowledging a message or accepting an inbound one costs one disk flush
 * shared by all concurrent requests. Each flush is one group closed by a line counting its
 * entries; on load a group without that line (a crash mid-write, before anyone was answered)
 * is dropped whole, so a crash never keeps half of what one request changed.
 */
export class Journal {
  private handle: FileHandle | undefined;
  private position = 0;
  private pending: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private flushScheduled = false;
  /** Flushes and compactions run one at a time, in order. */
  private chain: Promise<void> = Promise.resolve();
  private journalBytes = 0;
  private snapshotBytes = 0;

  private constructor(private readonly dir: string) {}

  /** Opens (creating) the folder and reads what it holds. */
  static async open(dir: string): Promise<{ journal: Journal; contents: JournalContents }> {
    await mkdir(dir, { recursive: true });
    const journal = new Journal(dir);
    const snapshotText = await readFile(path.join(dir, SNAPSHOT), 'utf8').catch(missingAsNull);
    const journalText = await readFile(path.join(dir, JOURNAL), 'utf8').catch(missingAsNull);
    return { journal, contents: { snapshot: snapshotText === null ? null : JSON.parse(snapshotText), entries: journalEntries(journalText ?? '') } };
  }

  /** Writes a fresh snapshot, empties the journal and starts accepting appends. */
  async start(snapshot: unknown): Promise<void> {
    await this.writeSnapshot(snapshot);
    this.handle = await open(path.join(this.dir, JOURNAL), 'w');
    await this.writeFormatLine();
    this.journalBytes = 0;
  }

  /** Appends entries (serialised now, so later in-place changes cannot leak in); resolves once on disk. */
  append(entries: readonly unknown[]): Promise<void> {
    for (const entry of entries) this.pending.push(`${JSON.stringify(entry)}\n`);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      void this.exclusive(() => this.flush());
    }
    return done;
  }

  /** True when the journal is large enough that a new snapshot pays off. */
  wantsCompaction(): boolean {
    return this.journalBytes > Math.max(MIN_COMPACT_BYTES, this.snapshotBytes * 2);
  }

  /**
   * Replaces the snapshot and empties the journal. `snapshot` is taken inside the exclusive
   * section, so it holds every entry written so far; entries still queued land in the new
   * journal, and their sequence numbers tell replay to skip what the snapshot already holds.
   */
  compact(snapshot: () => unknown): Promise<void> {
    return this.exclusive(async () => {
      await this.writeSnapshot(snapshot());
      await this.handle?.truncate(0);
      await this.writeFormatLine();
      this.journalBytes = 0;
    });
  }

  /** Flushes what is queued and closes the file. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      await this.flush();
      await this.handle?.close();
      this.handle = undefined;
    });
  }

  private exclusive(run: () => Promise<void>): Promise<void> {
    const next = this.chain.then(run);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const lines = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    if (lines.length === 0) {
      // An empty append waits for nothing (else it would hang until the next write).
      for (const waiter of waiters) waiter.resolve();
      return;
    }
    try {
      if (!this.handle) throw new Error('journal is closed');
      const data = Buffer.from(`${lines.join('')}${JSON.stringify({ group: lines.length })}\n`, 'utf8');
      await this.handle.write(data, 0, data.length, this.position);
      await this.handle.datasync();
      this.position += data.length;
      this.journalBytes += data.length;
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }

  /** Starts an empty journal file with the line saying its entries come in closed groups. */
  private async writeFormatLine(): Promise<void> {
    const line = Buffer.from(`${GROUPED_FORMAT}\n`, 'utf8');
    await this.handle?.write(line, 0, line.length, 0);
    this.position = line.length;
  }

  private async writeSnapshot(snapshot: unknown): Promise<void> {
    const text = JSON.stringify(snapshot);
    const target = path.join(this.dir, SNAPSHOT);
    const temporary = `${target}.tmp`;
    const file = await open(temporary, 'w');
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, target);
    this.snapshotBytes = Buffer.byteLength(text);
  }
}

/**
 * The entries a journal's text holds. In the grouped format a group counts only once its
 * closing `{"group":n}` line is there: the flush that wrote it finished its write, and only
 * then were its requests answered. A journal of an older version (no format line) keeps every
 * whole line. Reading stops at the first line that is not JSON (the torn end of a write).
 */
export function journalEntries(text: string): unknown[] {
  const lines = text.split('\n');
  const grouped = lines[0] === GROUPED_FORMAT;
  const entries: unknown[] = [];
  let group: unknown[] = [];
  for (const line of grouped ? lines.slice(1) : lines) {
    if (line.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      break;
    }
    if (!grouped) {
      entries.push(entry);
      continue;
    }
    const closes = groupSize(entry);
    if (closes === null) {
      group.push(entry);
      continue;
    }
    // A count that does not match means the file is not what this code wrote: keep what came before.
    if (closes !== group.length) break;
    for (const whole of group) entries.push(whole);
    group = [];
  }
  return entries;
}

/** The entry count of a group's closing line, or null for an entry. */
function groupSize(line: unknown): number | null {
  if (typeof line !== 'object' || line === null || Array.isArray(line)) return null;
  const keys = Object.keys(line);
  const size = (line as { group?: unknown }).group;
  return keys.length === 1 && typeof size === 'number' ? size : null;
}

function missingAsNull(error: NodeJS.ErrnoException): null {
  if (error.code === 'ENOENT') return null;
  throw error;
}
