export { ProjectionRunner, type ProjectionRunnerOptions } from './ProjectionRunner.js';
export { applyBatch, projectionLockKey, type ApplyOptions, type BatchOutcome, type PartitionBatch } from './applyBatch.js';
export { kafkaLogEnds } from './kafkaLogEnds.js';
export { lockPosition, readPositions, savePosition, type StoredPosition } from './positions.js';
export { PROJECTOR_GROUP, projectorTopics, type ProjectorTopics } from './projectorTopics.js';
