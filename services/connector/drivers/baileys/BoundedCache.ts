import type { CacheStore } from '@whiskeysockets/baileys';

/**
 * The cache in front of a session's signal key store: least recently used entries go first,
 * and it runs no timer (Baileys' default cache starts an interval per store that nothing
 * stops). No expiry is needed: every write goes through the cache, so it never holds a value
 * the store has not.
 */
export class BoundedCache implements CacheStore {
  private readonly entries = new Map<string, unknown>();

  constructor(private readonly maxEntries = 5_000) {}

  get<T>(key: string): T | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key);
    // Re-inserting moves the key to the end: Map order is the recency order.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value as T;
  }

  set<T>(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  del(key: string): void {
    this.entries.delete(key);
  }

  flushAll(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
