export { main } from './main.js';
export { createSimulator, type Simulator, type SimulatorOptions } from './createSimulator.js';
export { Network, type NetworkOptions, type InboundRequest, type LinkRequest } from './Network.js';
export { INBOUND_TYPES, type InboundType } from './messages.js';
export { isOnWhatsApp, phoneDigits, phoneJid } from './jids.js';
export { historyMessageId, historyChatPhone } from './history.js';
export type { MessageSummary, OutboxEntry, InboxEntry } from './state.js';
export type * from './protocol.js';
