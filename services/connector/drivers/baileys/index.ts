export { BaileysDriver, type BaileysDriverOptions, type Schedule } from './BaileysDriver.js';
export {
  DEFAULT_RECONNECT_POLICY,
  afterReconnect,
  closeReason,
  decideOnClose,
  type CloseDecision,
  type CloseHistory,
  type CloseReason as SocketCloseReason,
  type ReconnectPolicy,
  type SocketClose,
} from './decideOnClose.js';
