export { HttpAnalytics } from './HttpAnalytics.js';
export { openAnalytics, type OpenedAnalytics } from './openAnalytics.js';
