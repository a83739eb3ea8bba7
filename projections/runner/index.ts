export { ProjectionRunner, type ProjectionRunnerOptions } from './ProjectionRunner.js';
export type { ProjectionTarget, TopicPartitions } from './ProjectionTarget.js';
export { readModelTarget, type ReadModelTargetOptions } from './readModelTarget.js';
export { applyBatch, isBrokenRecord, projectionLockKey, type ApplyOptions, type BatchOutcome, type PartitionBatch } from './applyBatch.js';
export { kafkaLogEnds } from './kafkaLogEnds.js';
export { lockPosition, readPositions, savePosition, type StoredPosition } from './positions.js';
export { PROJECTOR_GROUP, projectorTopics, type ProjectorTopics } from './projectorTopics.js';
