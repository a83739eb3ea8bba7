export { callMethod, type CallMethodOptions } from './callMethod.js';
export { serveMethods, type MethodAnswer, type ServeMethodsOptions } from './serveMethods.js';
