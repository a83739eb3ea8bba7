import { WaError } from '../../shared/index.js';
import type { LiveEvent } from '../ApiServices.js';
import type { EventFilter } from './eventFilter.js';
import { formatPositions, type Positions } from './positions.js';

/** An event with its place in the log. */
export interface PositionedEvent {
  /** `topic:partition`. */
  key: string;
  offset: bigint;
  event: LiveEvent;
}

/** Why a stream was dropped: it fell behind by more than its buffer. */
export const SLOW_SUBSCRIBER = 'slow-subscriber';

/**
 * One live stream: a bounded queue the shared consumer fills, and the positions the stream has
 * delivered. A stream that falls `maxQueued` events behind is dropped (its queue freed) rather
 * than allowed to grow; it resumes from its last delivered positions by reconnecting.
 */
export class Subscriber {
  private queue: PositionedEvent[] = [];
  private wake: (() => void) | undefined;
  private failure: WaError | undefined;

  /** `positions`: per partition the stream covers, the last offset it delivered (or starts after). */
  constructor(
    readonly filter: EventFilter,
    private readonly maxQueued: number,
    private readonly positions: Positions,
  ) {}

  /** Shared-consumer side: queues a matching event; drops the stream when the queue is full. */
  push(item: PositionedEvent): void {
    if (this.failure) return;
    if (this.queue.length >= this.maxQueued) {
      this.fail(
        new WaError('UNAVAILABLE', `the stream fell more than ${this.maxQueued} events behind; reconnect with Last-Event-ID to resume`, {
          retriable: true,
          details: { reason: SLOW_SUBSCRIBER },
        }),
      );
      return;
    }
    this.queue.push(item);
    this.notify();
  }

  /** Ends the stream with an error (dropped, or the shared consumer failed); frees the queue. */
  fail(error: WaError): void {
    this.failure ??= error;
    this.queue = [];
    this.notify();
  }

  /** Throws the error that ended the stream, if any. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Stream side: the next queued event, waiting for one; null once `signal` aborts. */
  async take(signal: AbortSignal): Promise<PositionedEvent | null> {
    for (;;) {
      this.check();
      const item = this.queue.shift();
      if (item !== undefined) return item;
      if (signal.aborted) return null;
      await new Promise<void>((resolve) => {
        // One listener per wait, removed again: a long stream must not pile them up on the signal.
        const done = (): void => {
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** The event as this stream delivers it (with its cursor), or null when its position was already delivered. */
  accept(item: PositionedEvent): LiveEvent | null {
    const last = this.positions.get(item.key);
    if (last !== undefined && item.offset <= last) return null;
    this.positions.set(item.key, item.offset);
    return { ...item.event, cursor: formatPositions(this.positions) };
  }

  /** How many events wait in the queue. */
  get queued(): number {
    return this.queue.length;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
