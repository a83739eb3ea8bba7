export { Dispatcher, type DispatcherOptions, type DispatcherStats, type DispatcherTopics } from './Dispatcher.js';
export { dispatcherTopics } from './dispatcherTopics.js';
export { CoPartitionedAssigner, coPartitionedAssignment } from './coPartitionedAssigner.js';
export { PendingIndex, type PendingEntry } from './PendingIndex.js';
export { EndpointLimiter } from './EndpointLimiter.js';
export { attemptRecord, deliveryIdOf, firstDelivery, orderingKey, wantsEvent } from './deliveries.js';
