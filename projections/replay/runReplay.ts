import { AvroCodec } from '../../schemas/index.js';
import type { Config, Logger } from '../../services/shared/index.js';
import { createKafka } from '../../services/shared/kafka/index.js';
import { projectorTopics } from '../runner/projectorTopics.js';
import { openSqlStore } from '../store/index.js';
import { replayReadModels, type ReplayProgress, type ReplayResult } from './replayReadModels.js';

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 3600 ? `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m` : seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/** One line of progress: phase, events done of total, rate, time left. */
export function formatProgress(p: ReplayProgress): string {
  const rate = p.ratePerSecond >= 1000 ? `${(p.ratePerSecond / 1000).toFixed(1)}k` : p.ratePerSecond.toFixed(0);
  const left = p.phase === 'rebuilding' && p.etaMs !== null ? `, ${duration(p.etaMs)} left` : '';
  return `${p.phase} ${p.done.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')} events (${rate} events/s${left})`;
}

/**
 * `wa-backbone replay` (and `make replay`): rebuilds every read model of the configured store
 * from the log, printing progress with `write`. With PGlite the projector must be stopped first.
 */
export async function runReplay(options: { config: Config; logger: Logger; write: (line: string) => void }): Promise<ReplayResult> {
  const { config, logger, write } = options;
  const result = await replayReadModels({
    kafka: createKafka({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-replay`, logger }),
    topics: projectorTopics(config.kafkaPartitions),
    codec: AvroCodec.load(),
    logger,
    openStore: (schema) => openSqlStore(config, logger, { schema }),
    onProgress: (progress) => write(formatProgress(progress)),
  });
  write(`rebuilt ${result.events.toLocaleString('en-US')} events in ${duration(result.durationMs)}`);
  return result;
}
