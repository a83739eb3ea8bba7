export { loadConfig, ENVIRONMENT_VARIABLES, type Config, type LogFormat, type LogLevel, type WaDriver } from './config.js';
export { WaError, httpStatusOf, isRetriable, toWaError, type WaErrorCode, type WaErrorOptions } from './WaError.js';
export { createLogger, type Logger } from './logger.js';
export { Lifecycle } from './lifecycle.js';
export { qrDataUrl, qrPng, qrTerminal } from './qrImage.js';
export { backoffDelay, sleep, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
export {
  contextWithTrace,
  extractTraceContext,
  injectTraceHeaders,
  installPropagation,
  traceIdOf,
  type Headers,
} from './telemetry.js';
export { FileMediaStore, type MediaStore, type StoredMedia } from './media/index.js';
export { toJsonValue } from './toJsonValue.js';
export { randomHex } from './randomHex.js';
export { withTimeout } from './withTimeout.js';
