export { analyticsSuite, type AnalyticsEngine } from './analyticsSuite.js';
export { messageFact } from './messageFact.js';
