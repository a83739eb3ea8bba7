import type { AvroCodec } from '../../../../schemas/index.js';
import type { Logger } from '../../logger.js';
import type { ConsumedRecord } from '../consumerRunner.js';
import type { KafkaProducer, OutgoingRecord } from '../producer.js';
import { TOPIC, topicCatalog, type TopicSpec } from '../topics.js';
import { deadLetterId, deadLetterRecord, type ConsumerVerdict } from './deadLetterRecord.js';

/** Letters `report()` remembers having written, so a record read again by the same process is not written again. */
const RECENT_LETTERS = 1_000;

/** The catalog's dead-letter topic for a partition count. */
export function deadLetterTopic(partitions: number): TopicSpec {
  return topicCatalog(partitions).find((spec) => spec.name === TOPIC.deadLetters)!;
}

export interface DeadLetterWriterOptions {
  /** The process's producer. */
  producer: KafkaProducer;
  /** wa.dead-letters.v1. */
  topic: TopicSpec;
  codec: AvroCodec;
  /** Who gives up on the records: the role or group name every letter carries. */
  consumer: string;
  logger: Logger;
  now?: () => number;
}

/**
 * Dead letters of a consumer that does not write transactionally. One that commits its
 * position elsewhere (a projection) writes them with `write()` before it commits; a reader
 * that keeps no position (an API tail reader) hands them to `report()` and reads on. Letters
 * reported while a write is in flight go out together in the next one.
 */
export class DeadLetterWriter {
  private queue: OutgoingRecord[] = [];
  /** Ids of the letters reported lately, oldest first. */
  private readonly recent = new Set<string>();
  private flushing: Promise<void> | undefined;

  constructor(private readonly options: DeadLetterWriterOptions) {}

  get consumer(): string {
    return this.options.consumer;
  }

  /** The letter of a record this consumer gives up on (the consumer logs why, as before). */
  letter(record: ConsumedRecord, error: unknown, verdict?: ConsumerVerdict): OutgoingRecord {
    return deadLetterRecord(this.options.codec, record, this.options.consumer, error, (this.options.now ?? Date.now)(), verdict);
  }

  /** Writes letters; resolves once they are durable, rejects when the broker refused them. */
  async write(letters: readonly OutgoingRecord[]): Promise<void> {
    if (letters.length > 0) await this.options.producer.send(this.options.topic, letters);
  }

  /** Writes a record's letter in the background; a failed write is logged (the record stays on its topic). */
  report(record: ConsumedRecord, error: unknown, verdict?: ConsumerVerdict): void {
    // Several streams catching up over the same record would each report it.
    const id = deadLetterId(record, this.options.consumer);
    if (this.recent.has(id)) return;
    this.recent.add(id);
    if (this.recent.size > RECENT_LETTERS) this.recent.delete(this.recent.values().next().value!);
    this.queue.push(this.letter(record, error, verdict));
    this.flushing ??= this.flush();
  }

  /** Resolves once every reported letter was written (or its failure logged). */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const letters = this.queue;
        this.queue = [];
        await this.write(letters).catch((error: unknown) =>
          this.options.logger.error({ err: error, consumer: this.options.consumer, letters: letters.length }, 'dead letters not written'),
        );
      }
    } finally {
      this.flushing = undefined;
    }
  }
}
