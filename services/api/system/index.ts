export { systemRoutes } from './systemRoutes.js';
export { DOCS_CONTENT_SECURITY_POLICY, docsPage } from './docsPage.js';
export { healthBody, healthStatus, unknownHealth, type HealthBody } from './healthBody.js';
