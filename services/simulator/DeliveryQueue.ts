import type { DeliveryBody } from './protocol.js';

/** A lazily generated history sync: chunk `nextChunk` is built when it is leased, never stored. */
export interface HistoryJob {
  total: number;
  chats: number;
  chunkSize: number;
  /** Makes the generated message ids unique per link and stable across redeliveries. */
  seed: string;
  ownJid: string;
  /** Timestamp (ms) of the newest generated message. */
  endAt: number;
  nextChunk: number;
}

/** One entry of an account's queue: a stanza, or a history job that yields one stanza per chunk. */
export type QueuedDelivery = { id: number; body: DeliveryBody; job?: undefined } | { id: number; job: HistoryJob; body?: undefined };

/**
 * The ordered, not-yet-acknowledged deliveries of one account. Acknowledgements normally remove
 * the head, so removal marks a slot and the head skips marked slots (O(1) amortised) instead
 * of shifting a possibly very long array.
 */
export class DeliveryQueue {
  private items: Array<QueuedDelivery | undefined> = [];
  private head = 0;
  private readonly byId = new Map<number, number>();

  get size(): number {
    return this.byId.size;
  }

  push(item: QueuedDelivery): void {
    this.byId.set(item.id, this.items.length);
    this.items.push(item);
  }

  get(id: number): QueuedDelivery | undefined {
    const index = this.byId.get(id);
    return index === undefined ? undefined : this.items[index];
  }

  /** Removes an entry; returns it, or undefined when it was not queued (already acknowledged). */
  remove(id: number): QueuedDelivery | undefined {
    const index = this.byId.get(id);
    if (index === undefined) return undefined;
    const item = this.items[index];
    this.items[index] = undefined;
    this.byId.delete(id);
    while (this.head < this.items.length && this.items[this.head] === undefined) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) this.compact();
    return item;
  }

  /** Entries in order, from the head. */
  *pending(): IterableIterator<QueuedDelivery> {
    for (let i = this.head; i < this.items.length; i += 1) {
      const item = this.items[i];
      if (item !== undefined) yield item;
    }
  }

  clear(): void {
    this.items = [];
    this.head = 0;
    this.byId.clear();
  }

  private compact(): void {
    this.items = this.items.slice(this.head);
    this.head = 0;
    this.byId.clear();
    this.items.forEach((item, index) => {
      if (item !== undefined) this.byId.set(item.id, index);
    });
  }
}
