import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

const SNAPSHOT = 'snapshot.json';
const JOURNAL = 'journal.jsonl';
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
 * shared by all concurrent requests. A torn last line (crash mid-write) is ignored on load.
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
    const entries: unknown[] = [];
    for (const line of (journalText ?? '').split('\n')) {
      if (line.trim() === '') continue;
      try {
        entries.push(JSON.parse(line));
      } catch {
        break;
      }
    }
    return { journal, contents: { snapshot: snapshotText === null ? null : JSON.parse(snapshotText), entries } };
  }

  /** Writes a fresh snapshot, empties the journal and starts accepting appends. */
  async start(snapshot: unknown): Promise<void> {
    await this.writeSnapshot(snapshot);
    this.handle = await open(path.join(this.dir, JOURNAL), 'w');
    this.position = 0;
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
      this.position = 0;
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
    if (this.pending.length === 0) return;
    const lines = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    try {
      if (!this.handle) throw new Error('journal is closed');
      const data = Buffer.from(lines.join(''), 'utf8');
      await this.handle.write(data, 0, data.length, this.position);
      await this.handle.datasync();
      this.position += data.length;
      this.journalBytes += data.length;
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
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

function missingAsNull(error: NodeJS.ErrnoException): null {
  if (error.code === 'ENOENT') return null;
  throw error;
}
