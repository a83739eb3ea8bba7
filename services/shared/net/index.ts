export { checkPublicUrl, isPrivateHost } from './publicUrl.js';
export { fetchPublic, type FetchPublicOptions } from './fetchPublic.js';
