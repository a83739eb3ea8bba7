export {
  createLidDirectory,
  type LidDirectory,
  type MediaDescriptor,
  type SealedSecret,
  type SessionTranslationState,
  type TranslateContext,
} from './TranslateContext.js';
export { translateBatch } from './translateBatch.js';
export { translateMessage, type MessageOrigin } from './messages.js';
export {
  connectionStateEvent,
  disconnectReasonOf,
  lifecycleEvent,
  pairingCodeEvent,
  QR_TTL_MS,
  type ConnectionState,
  type ConnectionStateExtra,
  type DisconnectReason,
} from './connection.js';
export { mediaKeyAad, mediaOf, mediaUpdatedEvent, type MediaStatus, type MediaUpdate } from './media.js';
export { bareJid, normaliseJid } from './jids.js';
export { sanitizedJson } from './values.js';
