import { ROLES } from './roles.js';

export const USAGE = `wa-backbone: event-sourced WhatsApp messaging backbone on Kafka

Usage:
  wa-backbone start <role>     run one role: ${ROLES.join(' | ')}
  wa-backbone start all        supervise every role in one process tree (single machine)
  wa-backbone topics create    create / align every topic of the catalog, publish the schemas
  wa-backbone topics list      print the topic catalog
  wa-backbone schemas check    fail when a schema changed incompatibly or was not recorded
  wa-backbone schemas lock     record the current schemas as the next versions (when compatible)
  wa-backbone replay [--model <name>]
                               rebuild every read model, or one alone (accounts, messages, ...),
                               from the log into new tables, then swap them in (PostgreSQL: while
                               the projector runs; PGlite: stop it first)
  wa-backbone help

Configuration comes from the environment (see README: PORT, KAFKA_BROKERS, KAFKA_PARTITIONS,
SIM_PORT, DATA_DIR, DATABASE_URL, CLICKHOUSE_URL, WA_DRIVER, SIMULATOR_URL, API_KEY,
SESSION_ENCRYPTION_KEY, WEBHOOK_ALLOW_PRIVATE, LOG_LEVEL).
`;
