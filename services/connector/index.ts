export { main, connectorKafka, createDriver } from './main.js';
export { Connector, type ConnectorOptions } from './runtime/Connector.js';
export { CONNECTOR_SOURCE, connectorTopics, type ConnectorTopics } from './runtime/ConnectorTopics.js';
