export { replayReadModels } from './replayReadModels.js';
export { rebuildReadModel } from './rebuildReadModel.js';
export { READ_MODEL_NAMES, READS_FROM, rebuildUnitOf, WRITTEN_TOGETHER, type RebuildUnit } from './rebuildUnit.js';
export type { ReplayOptions, ReplayProgress, ReplayResult } from './ReplayOptions.js';
export { ANALYTICS_MODEL, formatProgress, parseReplayArgs, runReplay, type ReplayArguments } from './runReplay.js';
export { logEnds, onEveryPartition, partitionKey, reached, recordsBetween, type Positions } from './logPositions.js';
export { progressMeter } from './ReplayOptions.js';
