import type { Consumer, ConsumerRunConfig } from 'kafkajs';
import { backoffDelay, type BackoffPolicy } from '../backoff.js';
import type { Logger } from '../logger.js';
import type { WaError } from '../WaError.js';
import { brokerMayRecover, kafkaError } from './kafkaClient.js';

export interface RunConsumerOptions {
  /** What the consumer is, in logs and errors ("the projector consumer"). */
  name: string;
  topics: readonly string[];
  /** Where a partition without a committed position (or a seek on join) starts. */
  fromBeginning: boolean;
  run: ConsumerRunConfig;
  logger: Logger;
  /** True once the owner stopped the consumer: a crash then is not restarted nor reported. */
  stopped: () => boolean;
  /** A crash no restart can fix; the consumer is stopped. */
  onFatal: (error: WaError) => void;
  /** Delays between restarts after the broker was away (reset once the group is joined again). */
  restartBackoff?: BackoffPolicy;
}

const RESTART_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 5_000, factor: 2, jitter: 0.5 };

/**
 * Connects, subscribes and runs a consumer, and keeps it running through broker outages.
 *
 * kafkajs restarts a crashed consumer only when the error is retriable. A broker restart can
 * crash one with errors that are not: the group coordinator lookup gives up at once when the
 * broker refuses it mid-shutdown ("Failed to find group coordinator"). Such a consumer stayed
 * stopped for good, so a role answered from stale state until it was restarted by hand. A crash
 * whose cause says the broker was away is restarted here, with a capped backoff, for as long
 * as the owner runs; any other crash kafkajs does not restart goes to `onFatal`.
 *
 * A restarted consumer joins its group again: members that commit resume from their committed
 * positions, and those that keep positions in memory seek on GROUP_JOIN, as after any rebalance.
 * On a failed start the consumer is disconnected and the error thrown.
 */
export async function runConsumer(consumer: Consumer, options: RunConsumerOptions): Promise<void> {
  const { logger, name } = options;
  let restarts = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => (restarts = 0));
  const restartLater = (cause: unknown): void => {
    restarts += 1;
    const delayMs = backoffDelay(restarts, options.restartBackoff ?? RESTART_BACKOFF);
    logger.warn({ err: cause, attempt: restarts, delayMs }, `${name} stopped while the broker was away; restarting it`);
    setTimeout(() => void restart(), delayMs).unref();
  };
  const restart = async (): Promise<void> => {
    if (options.stopped()) return;
    try {
      await consumer.connect();
      // A start that fails crashes the consumer again (CRASH below), it does not throw.
      if (!options.stopped()) await consumer.run(options.run);
    } catch (error) {
      if (!options.stopped()) restartLater(error);
    }
  };
  consumer.on(consumer.events.CRASH, (event) => {
    const { error, restart: restartedByKafkajs } = event.payload;
    if (options.stopped()) return;
    if (restartedByKafkajs) logger.warn({ err: error }, `${name} crashed; kafkajs restarts it`);
    else if (brokerMayRecover(error)) restartLater(error);
    else {
      logger.error({ err: error }, `${name} crashed`);
      options.onFatal(kafkaError(error, `${name} crashed`));
    }
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning });
    await consumer.run(options.run);
  } catch (error) {
    await consumer.disconnect().catch(() => undefined);
    throw kafkaError(error, `starting ${name}`);
  }
}
