export { HttpReadModels } from './HttpReadModels.js';
export { openReadModels, type OpenedReadModels } from './openReadModels.js';
