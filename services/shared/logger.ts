import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

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

/** Structured JSON logger for one process role; child loggers add accountId / commandId. */
export function createLogger(role: string, level: LogLevel = 'info'): Logger {
  return pino({
    level,
    base: { role, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
  });
}
