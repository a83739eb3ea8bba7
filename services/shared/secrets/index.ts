export { SecretBox, keyIdOf, type EncryptedValue } from './SecretBox.js';
export { sessionKey } from './sessionKey.js';
