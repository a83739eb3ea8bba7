export { KafkaApiKeys, type KafkaApiKeysOptions } from './KafkaApiKeys.js';
export { ApiKeyTable, ApiKeyRecordSchema, type ApiKeyRecord, type KeyOwner } from './ApiKeyTable.js';
export { apiKeyRoutes } from './apiKeyRoutes.js';
export { KEY_PREFIX, adminKeyBanner, generateApiKey, hashKey } from './keyMaterial.js';
