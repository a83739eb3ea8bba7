export { installContext, startTracing, type StartTracingOptions, type Tracing } from './startTracing.js';
export { inSpan, processRecord, sendRecords, type TracedRecord } from './spans.js';
