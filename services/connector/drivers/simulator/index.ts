export { SimulatorDriver, type SimulatorDriverOptions } from './SimulatorDriver.js';
export { SimulatorClient, SimulatorHttpError, SimulatorUnreachableError, type Fetch } from './SimulatorClient.js';
export { appStateBatch, groupBatch, groupMetadataOf, historyBatch, linkedCreds, messagesBatch, receiptsBatch, toBaileysBatch } from './toBaileysEvents.js';
