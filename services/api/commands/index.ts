export { KafkaCommandBus, API_SOURCE, resultOfRow, type CommandBusTopics, type KafkaCommandBusOptions } from './KafkaCommandBus.js';
export { commandIdFor } from './commandId.js';
export { commandStatusRoute, commandStatusBody, authorizeCommand, commandStatusSchema, commandPendingSchema, type CommandStatusBody } from './commandStatusRoute.js';
export { LruMap } from './LruMap.js';
