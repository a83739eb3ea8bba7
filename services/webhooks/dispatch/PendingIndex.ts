/** Where a pending delivery waits: a retry tier's topic (index into WEBHOOK_RETRY_TIERS), not before `notBefore`. */
export interface PendingEntry {
  deliveryId: string;
  /** The event's place in its account's history (envelope `sequence`): earlier goes first. */
  order: number;
  tier: number;
  notBefore: number;
}

/**
 * The deliveries of one partition that wait on retry topics, per ordering key (subscription ×
 * account × chat). A delivery may be attempted only when it is its key's head, the earliest
 * event still pending; every later one is parked behind the head. Rebuilt from the retry topics
 * when the partition is assigned; changed in memory as the partition's batches are handled.
 */
export class PendingIndex {
  private readonly byKey = new Map<string, PendingEntry[]>();
  private readonly keyOf = new Map<string, string>();

  /** Adds a delivery, or moves it when already known (one entry per delivery id). */
  put(key: string, entry: PendingEntry): void {
    this.remove(entry.deliveryId);
    const list = this.byKey.get(key) ?? [];
    let at = list.length;
    while (at > 0 && before(entry, list[at - 1]!)) at -= 1;
    list.splice(at, 0, { ...entry });
    this.byKey.set(key, list);
    this.keyOf.set(entry.deliveryId, key);
  }

  /** Forgets a delivery (delivered, dead or cancelled); its key's next one becomes the head. */
  remove(deliveryId: string): void {
    const key = this.keyOf.get(deliveryId);
    if (key === undefined) return;
    this.keyOf.delete(deliveryId);
    const list = this.byKey.get(key)!.filter((entry) => entry.deliveryId !== deliveryId);
    if (list.length === 0) this.byKey.delete(key);
    else this.byKey.set(key, list);
  }

  has(deliveryId: string): boolean {
    return this.keyOf.has(deliveryId);
  }

  /** The delivery of `key` to attempt next, if any waits. */
  head(key: string): Readonly<PendingEntry> | undefined {
    return this.byKey.get(key)?.[0];
  }

  /** Deliveries waiting, over all keys. */
  get size(): number {
    return this.keyOf.size;
  }
}

function before(a: PendingEntry, b: PendingEntry): boolean {
  return a.order < b.order || (a.order === b.order && a.deliveryId < b.deliveryId);
}
