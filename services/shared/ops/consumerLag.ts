import type { SharedAdmin } from '../kafka/index.js';
import { Gauge } from 'prom-client';
import { withTimeout } from '../withTimeout.js';
import { registry } from './metrics.js';

/** How far one consumer is behind the end of one partition. */
export interface LagSample {
  group: string;
  topic: string;
  partition: number;
  /** Records after the consumer's position, up to the last stable offset. */
  records: number;
}

/** Reads a consumer's lag on demand (at scrape time). */
export type LagSource = () => Promise<readonly LagSample[]>;

const sources = new Set<LagSource>();

/** A scrape that cannot reach the broker in time reports no lag series rather than hanging. */
const SCRAPE_TIMEOUT_MS = 5_000;

const consumerLag = new Gauge({
  name: 'wa_consumer_lag_records',
  help: "Records after a consumer's position in each partition it reads (to the last stable offset).",
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    const all = await Promise.all([...sources].map((source) => withTimeout(source(), SCRAPE_TIMEOUT_MS).catch(() => [] as const)));
    for (const sample of all.flat()) {
      this.set({ group: sample.group, topic: sample.topic, partition: String(sample.partition) }, sample.records);
    }
  },
});

/** Adds a lag source to the `wa_consumer_lag_records` series; the returned function removes it. */
export function watchLag(source: LagSource): () => void {
  sources.add(source);
  return () => {
    sources.delete(source);
    if (sources.size === 0) consumerLag.reset();
  };
}

/** The lag of a Kafka consumer group that commits its offsets to Kafka (in its transactions or after its batches). */
export function kafkaGroupLag(admin: SharedAdmin, groupId: string, topics: readonly string[]): LagSource {
  return async (): Promise<LagSample[]> => {
    const client = await admin.connected();
    const [committed, ends] = await Promise.all([
      client.fetchOffsets({ groupId, topics: [...topics] }),
      Promise.all(topics.map(async (topic) => ({ topic, offsets: await client.fetchTopicOffsets(topic) }))),
    ]);
    const positions = new Map<string, number>();
    for (const topic of committed) {
      for (const partition of topic.partitions) positions.set(`${topic.topic}:${partition.partition}`, Number(partition.offset));
    }
    return ends.flatMap(({ topic, offsets }) =>
      offsets.map((end) => {
        const low = Number(end.low);
        const high = Number(end.high);
        const position = positions.get(`${topic}:${end.partition}`) ?? -1;
        // No committed offset yet: the group starts from the earliest record still kept.
        const from = position < 0 ? low : Math.max(position, low);
        return { group: groupId, topic, partition: end.partition, records: Math.max(0, high - from) };
      }),
    );
  };
}
