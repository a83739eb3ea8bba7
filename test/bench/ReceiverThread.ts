import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { sleep } from '../../services/shared/index.js';
import type { ReceiverCommand, ReceiverOptions, ReceiverReport } from './webhookReceiverThread.js';

/**
 * The endpoint on its own thread (webhookReceiverThread): `/hook/<endpoint>` per subscription.
 * Keeps every request's webhook-id and arrival time (epoch ms) per endpoint.
 */
export class ReceiverThread {
  private readonly received = new Map<number, { ids: string[]; at: number[]; messageIds: string[] }>();
  private port = 0;
  private failure: unknown;
  private onListening: ((port: number) => void) | undefined;
  private onClosed: (() => void) | undefined;
  private onFlushed: (() => void) | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (report: ReceiverReport) => this.report(report));
    worker.on('error', (error) => {
      this.failure = error;
    });
  }

  /** Starts the thread; with `messageIds` it also keeps each payload's `messageId` (see messageArrivals). */
  static start(options: ReceiverOptions = {}): Promise<ReceiverThread> {
    const receiver = new ReceiverThread(new Worker(new URL('./webhookReceiverThread.js', import.meta.url), { workerData: options }));
    return new Promise((resolve, reject) => {
      receiver.worker.once('error', reject);
      receiver.onListening = (port) => {
        receiver.worker.off('error', reject);
        receiver.port = port;
        resolve(receiver);
      };
    });
  }

  url(endpoint: number): string {
    return `http://127.0.0.1:${this.port}/hook/${endpoint}`;
  }

  /** Throws what stopped the thread, if anything did. */
  check(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** Requests the endpoints got, together. */
  count(endpoints: readonly number[]): number {
    return endpoints.reduce((sum, endpoint) => sum + (this.received.get(endpoint)?.ids.length ?? 0), 0);
  }

  ids(endpoint: number): readonly string[] {
    return this.received.get(endpoint)?.ids ?? [];
  }

  /** When each webhook-id first arrived at an endpoint. */
  arrivals(endpoint: number): Map<string, number> {
    const { ids, at } = this.received.get(endpoint) ?? { ids: [], at: [] };
    return firstArrivals(ids, at);
  }

  /** When each payload `messageId` first arrived at an endpoint (started with `messageIds`). */
  messageArrivals(endpoint: number): Map<string, number> {
    const { messageIds, at } = this.received.get(endpoint) ?? { messageIds: [], at: [] };
    return firstArrivals(messageIds, at);
  }

  /** The first and the last arrival at the endpoints. */
  window(endpoints: readonly number[]): { first: number; last: number } {
    let first = Infinity;
    let last = -Infinity;
    for (const endpoint of endpoints) {
      for (const at of this.received.get(endpoint)?.at ?? []) {
        if (at < first) first = at;
        if (at > last) last = at;
      }
    }
    return { first, last };
  }

  utilization(since?: EventLoopUtilization): EventLoopUtilization {
    return since === undefined ? this.worker.performance.eventLoopUtilization() : this.worker.performance.eventLoopUtilization(since);
  }

  /** Resolves once every request answered so far is counted here. */
  settle(): Promise<void> {
    const flushed = new Promise<void>((resolve) => (this.onFlushed = resolve));
    this.worker.postMessage({ kind: 'flush' } satisfies ReceiverCommand);
    return flushed;
  }

  async close(): Promise<void> {
    if (this.failure !== undefined) {
      await this.worker.terminate();
      return;
    }
    const closed = new Promise<void>((resolve) => (this.onClosed = resolve));
    this.worker.postMessage({ kind: 'close' } satisfies ReceiverCommand);
    await Promise.race([closed, sleep(5_000)]);
    await this.worker.terminate();
  }

  private report(report: ReceiverReport): void {
    switch (report.kind) {
      case 'listening':
        this.onListening?.(report.port);
        return;
      case 'arrivals':
        report.ids.forEach((id, i) => {
          const endpoint = report.endpoints[i]!;
          let list = this.received.get(endpoint);
          if (list === undefined) this.received.set(endpoint, (list = { ids: [], at: [], messageIds: [] }));
          list.ids.push(id);
          list.at.push(report.at[i]!);
          list.messageIds.push(report.messageIds[i] ?? '');
        });
        return;
      case 'flushed':
        this.onFlushed?.();
        return;
      case 'closed':
        this.onClosed?.();
        return;
      default: {
        const unknown: never = report;
        throw new Error(`unknown receiver report ${JSON.stringify(unknown)}`);
      }
    }
  }
}

/** The first arrival time of each id, from ids and times side by side. */
function firstArrivals(ids: readonly string[], at: readonly number[]): Map<string, number> {
  const first = new Map<string, number>();
  ids.forEach((id, i) => {
    if (!first.has(id)) first.set(id, at[i]!);
  });
  return first;
}
