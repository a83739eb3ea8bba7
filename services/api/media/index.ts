export { StoreMediaService, MEDIA_MAX_BYTES, type StoreMediaServiceOptions } from './StoreMediaService.js';
export { checkPublicUrl, isPrivateHost } from '../../shared/net/index.js';
export { parseBase64Field, base64Stream, base64Head, type Base64Payload } from './base64Field.js';
export { sniffMimetype } from './sniffMimetype.js';
