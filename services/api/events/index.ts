export { KafkaLiveEvents, type KafkaLiveEventsOptions } from './KafkaLiveEvents.js';
export { eventsRoute, authorizeStream, sseEvent, streamEvents, type StreamOptions } from './eventsRoute.js';
export { liveEventOf, envelopeSchemas, positionOf, type EventTopics } from './liveEvent.js';
export { eventFilter, wantsAccount, wantsType, wantsRecord, wantsEvent, type EventFilter } from './eventFilter.js';
export { parsePositions, formatPositions, partitionKey, splitPartitionKey, type Positions } from './positions.js';
export { Subscriber, SLOW_SUBSCRIBER, type PositionedEvent } from './Subscriber.js';
