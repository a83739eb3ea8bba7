export { FileMediaStore } from './FileMediaStore.js';
export type { MediaStore, StoredMedia } from './MediaStore.js';
