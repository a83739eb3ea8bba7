export { startTracing, type StartTracingOptions, type Tracing } from './startTracing.js';
export { inSpan, processBatch, processRecord, sendRecords, type TracedRecord } from './spans.js';
