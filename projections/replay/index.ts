export { replayReadModels, type ReplayOptions, type ReplayProgress, type ReplayResult } from './replayReadModels.js';
export { formatProgress, runReplay } from './runReplay.js';
