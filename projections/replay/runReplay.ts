import { AvroCodec } from '../../schemas/index.js';
import type { Config, Logger } from '../../services/shared/index.js';
import { createKafka } from '../../services/shared/kafka/index.js';
import { projectorTopics } from '../runner/projectorTopics.js';
import { openSqlStore } from '../store/index.js';
import { READ_MODEL_NAMES } from './rebuildUnit.js';
import { rebuildReadModel } from './rebuildReadModel.js';
import type { ReplayOptions, ReplayProgress, ReplayResult } from './ReplayOptions.js';
import { replayReadModels } from './replayReadModels.js';

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

/** What `wa-backbone replay [--model <name>]` was asked: every read model, one, or a usage error. */
export type ReplayArguments = { model: string | null } | { error: string };

/** What `--model analytics` names: the ClickHouse analytics tables rather than a read model. */
export const ANALYTICS_MODEL = 'analytics';

/** Parses the arguments after `replay`; an unknown read model is an error naming the known ones. */
export function parseReplayArgs(args: readonly string[]): ReplayArguments {
  let model: string | null = null;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const value = arg === '--model' ? args[++i] : arg.startsWith('--model=') ? arg.slice('--model='.length) : undefined;
    if (arg !== '--model' && value === undefined) return { error: `unknown argument "${arg}"; usage: wa-backbone replay [--model <name>]` };
    if (value === undefined || value === '') return { error: `--model needs a read model: ${READ_MODEL_NAMES.join(', ')} (or ${ANALYTICS_MODEL})` };
    if (model !== null) return { error: 'only one --model at a time' };
    if (!READ_MODEL_NAMES.includes(value) && value !== ANALYTICS_MODEL) return { error: `unknown read model "${value}"; the read models are: ${READ_MODEL_NAMES.join(', ')} (and ${ANALYTICS_MODEL})` };
    model = value;
  }
  return { model };
}

/**
 * `wa-backbone replay [--model <name>]` (and `make replay [MODEL=<name>]`): rebuilds every read
 * model of the configured store from the log, or one alone, or the analytics tables
 * (`--model analytics`), printing progress with `write`. With PGlite the projector must be
 * stopped first; for analytics the analytics role must be stopped.
 */
export async function runReplay(options: { config: Config; logger: Logger; write: (line: string) => void; model?: string | null }): Promise<ReplayResult> {
  const { config, logger, write } = options;
  if (options.model === ANALYTICS_MODEL) return runAnalyticsReplay(config, logger, write);
  const replay: ReplayOptions = {
    kafka: createKafka({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-replay`, logger }),
    topics: projectorTopics(config.kafkaPartitions),
    codec: AvroCodec.load(),
    logger,
    openStore: (schema) => openSqlStore(config, logger, { schema }),
    onProgress: (progress) => write(formatProgress(progress)),
  };
  const model = options.model ?? null;
  const result = model === null ? await replayReadModels(replay) : await rebuildReadModel({ ...replay, model });
  const which = model === null ? '' : ` into ${result.models.join(' + ')}`;
  write(`rebuilt ${result.events.toLocaleString('en-US')} events${which} in ${duration(result.durationMs)}`);
  return result;
}

async function runAnalyticsReplay(config: Config, logger: Logger, write: (line: string) => void): Promise<ReplayResult> {
  const { ANALYTICS_DATABASE, openAnalyticsClient, replayAnalytics } = await import('../analytics/index.js');
  const client = await openAnalyticsClient(config, logger);
  try {
    const result = await replayAnalytics({
      kafka: createKafka({ brokers: config.kafkaBrokers, clientId: `${config.kafkaClientId}-replay`, logger }),
      topics: projectorTopics(config.kafkaPartitions),
      client,
      codec: AvroCodec.load(),
      logger,
      database: ANALYTICS_DATABASE,
      onProgress: (progress) => write(formatProgress(progress)),
    });
    write(`rebuilt ${result.events.toLocaleString('en-US')} events into ${client.engine} analytics in ${duration(result.durationMs)}`);
    return result;
  } finally {
    await client.close();
  }
}
