import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { LogFormat, LogLevel } from './config.js';
import { traceIdOf } from './telemetry.js';

export type { Logger } from 'pino';

// Paths that may carry secrets or message text; pino replaces them before anything is written.
const REDACT = [
  'apiKey',
  'key',
  'secret',
  'password',
  'token',
  'authorization',
  'text',
  'body',
  'message.text',
  '*.apiKey',
  '*.secret',
  '*.password',
  '*.token',
  '*.authorization',
  '*.text',
  '*.body',
  'headers.authorization',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
];

/**
 * Structured logger for one process role; child loggers add accountId / commandId / traceId.
 * JSON lines by default; `pretty` (the default when stdout is a terminal) renders the same
 * records, redacted the same way, for a person to read.
 */
export function createLogger(role: string, level: LogLevel = 'info', format: LogFormat | undefined = undefined): Logger {
  const options = {
    level,
    base: { role, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    // Inside a request's or a record's span, every line names its trace.
    mixin: (): { traceId?: string } => {
      const traceId = traceIdOf();
      return traceId === undefined ? {} : { traceId };
    },
  };
  const pretty = format === 'pretty' || (format === undefined && process.stdout.isTTY === true);
  if (!pretty) return pino(options);
  return pino(options, PinoPretty({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination: process.stdout }));
}
