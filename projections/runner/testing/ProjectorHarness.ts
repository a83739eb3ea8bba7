import type { Kafka } from 'kafkajs';
import { AvroCodec } from '../../../schemas/index.js';
import { KafkaProducer, type TopicSpec } from '../../../services/shared/kafka/index.js';
import { freshGroup, freshTopic, testKafka, testLogger, waitFor } from '../../../test/helpers/index.js';
import type { ProjectedEvent } from '../../events/index.js';
import { READ_MODEL_MIGRATIONS, READ_MODEL_TABLES } from '../../readModels/readModelCatalog.js';
import { SqlReadModels } from '../../readModels/SqlReadModels.js';
import { migrate, type SqlRow, type SqlStore } from '../../store/index.js';
import { kafkaLogEnds } from '../kafkaLogEnds.js';
import { ProjectionRunner } from '../ProjectionRunner.js';
import type { ProjectorTopics } from '../projectorTopics.js';
import { produceScenario, type ScenarioRecords } from './projectorScenario.js';

// Written from the wall clock, so two runs over the same log differ here and nowhere else.
const VOLATILE: Record<string, readonly string[]> = { projection_positions: ['updated_at'], projection_errors: ['at'] };

/**
 * Projectors on fresh topics of the real broker: write events, run projections into any store,
 * wait until a store has caught up with the log, compare what stores hold.
 */
export class ProjectorHarness {
  readonly codec = AvroCodec.load();
  private readonly runners = new Set<ProjectionRunner>();
  private readonly logEnds;

  private constructor(
    readonly kafka: Kafka,
    readonly topics: ProjectorTopics,
    private readonly producer: KafkaProducer,
  ) {
    this.logEnds = kafkaLogEnds(kafka);
  }

  static async start(options: { partitions?: number; topics?: ProjectorTopics } = {}): Promise<ProjectorHarness> {
    const kafka = testKafka();
    const partitions = options.partitions ?? 4;
    const fresh = (name: string): Promise<TopicSpec> => freshTopic(kafka, `projector-${name}`, { partitions });
    const topics = options.topics ?? { conversation: await fresh('conversation'), account: await fresh('account'), commandResults: await fresh('results'), webhookAttempts: await fresh('attempts') };
    return new ProjectorHarness(kafka, topics, await KafkaProducer.connect(kafka, testLogger()));
  }

  topicNames(): string[] {
    return Object.values(this.topics).map((spec) => spec.name);
  }

  produce(scenario: ScenarioRecords): Promise<void> {
    return produceScenario(this.producer, this.topics, this.codec, scenario);
  }

  /** Migrates the store and starts a projector on it. */
  async project(store: SqlStore, options: { groupId?: string; afterEvent?: (applied: number, event: ProjectedEvent) => void; partitionsConcurrently?: number } = {}): Promise<ProjectionRunner> {
    await migrate(store, READ_MODEL_MIGRATIONS);
    const runner = await ProjectionRunner.start({
      kafka: this.kafka,
      groupId: options.groupId ?? freshGroup('projector'),
      topics: this.topics,
      store,
      codec: this.codec,
      logger: testLogger('projector'),
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
      partitionsConcurrently: options.partitionsConcurrently ?? (store.engine === 'postgres' ? 4 : 1),
      ...(options.afterEvent ? { afterEvent: options.afterEvent } : {}),
    });
    this.runners.add(runner);
    void runner.done.catch(() => undefined).finally(() => this.runners.delete(runner));
    return runner;
  }

  /** The read side of a store, with lag measured against this harness's topics. */
  reads(store: SqlStore): SqlReadModels {
    return new SqlReadModels({ store, topics: this.topicNames(), logEnds: this.logEnds });
  }

  /** Waits until the store has applied everything on the topics. */
  async caughtUp(store: SqlStore, timeoutMs = 120_000): Promise<void> {
    const reads = this.reads(store);
    await waitFor(async () => (await reads.lag()).events === 0, 'the projection to catch up with the log', { timeoutMs, intervalMs: 100 });
  }

  /** Every read-model table and the positions, without the wall-clock columns, in a stable order. */
  async state(store: SqlStore): Promise<Record<string, SqlRow[]>> {
    const state: Record<string, SqlRow[]> = {};
    for (const table of READ_MODEL_TABLES) {
      const rows = (await store.query(`SELECT * FROM ${table}`)).rows.map((row) => {
        const copy = { ...row };
        for (const column of VOLATILE[table] ?? []) delete copy[column];
        return copy;
      });
      state[table] = rows.map((row) => [JSON.stringify(row), row] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
    }
    return state;
  }

  async stop(): Promise<void> {
    for (const runner of [...this.runners]) await runner.stop().catch(() => undefined);
    await this.logEnds.close();
    await this.producer.disconnect();
  }
}
