export type * from './ReadModels.js';
