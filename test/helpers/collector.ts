import type { Kafka } from 'kafkajs';
import { ConsumerRunner, type ConsumedRecord } from '../../services/shared/kafka/index.js';
import { freshGroup, testLogger } from './broker.js';
import { waitFor } from './waitFor.js';

/** Reads topics from the beginning with a fresh group and keeps every record, for assertions. */
export class ConsumedCollector {
  private constructor(
    private readonly runner: ConsumerRunner,
    readonly records: ConsumedRecord[],
  ) {}

  static async start(kafka: Kafka, topics: readonly string[]): Promise<ConsumedCollector> {
    const records: ConsumedRecord[] = [];
    const runner = await ConsumerRunner.start({
      kafka,
      groupId: freshGroup('collector'),
      topics,
      fromBeginning: true,
      logger: testLogger(),
      handleBatch: async (batch) => {
        records.push(...batch);
      },
    });
    return new ConsumedCollector(runner, records);
  }

  /** Waits until at least `count` records arrived and returns them. */
  async waitForCount(count: number, timeoutMs = 30_000): Promise<ConsumedRecord[]> {
    await waitFor(() => this.records.length >= count, `${count} records (have ${this.records.length})`, { timeoutMs });
    return this.records;
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }
}
