export { checkPublicUrl, isPrivateHost } from './publicUrl.js';
export { fetchPublic, type FetchPublicOptions } from './fetchPublic.js';
export { publicLookup } from './publicLookup.js';
