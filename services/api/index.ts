export { main } from './main.js';
export { apiRoutes } from './apiRoutes.js';
export { startApiServices, type ApiServicesOptions, type ApiTopics } from './startApiServices.js';
export { createApp, type ApiHttpConfig, type CreateAppOptions } from './createApp.js';
export { systemRoutes, docsPage, DOCS_CONTENT_SECURITY_POLICY } from './system/index.js';
export { KafkaApiKeys, apiKeyRoutes, type KafkaApiKeysOptions } from './keys/index.js';
export { buildOpenApi, openApiProblems, type OpenApiDocument, type OpenApiInfo } from './http/index.js';
export type * from './ApiServices.js';
