export { SecretBox, keyIdOf, type EncryptedValue } from './SecretBox.js';
