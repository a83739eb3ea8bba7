export { testBrokers, testKafka, freshTopic, freshGroup, testLogger } from './broker.js';
export { waitFor } from './waitFor.js';
export { ConsumedCollector } from './collector.js';
export { JsonLinesChild } from './childProcess.js';
export { textReceivedEvent, sendTextCommand } from './fixtures.js';
export * as baileysPayloads from './baileysPayloads.js';
export { ConnectorHarness, simulatorEnvironment, textOf, type Value } from './connectorHarness.js';
export { ApiHarness, TEST_ADMIN_KEY, type ApiAnswer } from './apiHarness.js';
export { freePort } from './freePort.js';
