export { ALICE, BOB, EventFactory, GROUP, key, ME, ME_LID, T0, type MessageOptions, type Value } from './EventFactory.js';
export { MUTED_FOREVER as MUTED_FOREVER_FOR_TESTS } from '../shared/index.js';
export { ReadModelSpec, type Snapshot } from './ReadModelSpec.js';
export { everyEventType, SAMPLE_CHANNEL } from './everyEventType.js';
