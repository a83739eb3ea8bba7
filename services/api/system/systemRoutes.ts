import { z } from 'zod';
import { apiKeyRoutes } from '../keys/index.js';
import { buildOpenApi, defineRoute, type AnyRoute, type OpenApiDocument, type OpenApiInfo } from '../http/index.js';
import { docsPage } from './docsPage.js';
import { healthBody, healthStatus, unknownHealth } from './healthBody.js';

const DEFAULT_INFO: OpenApiInfo = {
  title: 'wa-backbone API',
  version: '1.0.0',
  description:
    'One server, two API documents: the WILDCAT surface (`/accounts`, `/ping`, `/webhooks`, `{ ok }` envelope) and the whapi.cloud-compatible surface (`/channels`, `/messages`, `/chats`, ... `{ success, data }` envelope). Commands are written to Kafka; a command that takes longer than the wait answers 202 with `Location: /commands/{id}`.',
};

const Component = z.looseObject({ status: z.string(), detail: z.string().optional() });
const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  timestamp: z.string(),
  database: Component,
  redis: Component,
  channels: Component,
  auth: Component,
  kafka: Component,
  analytics: Component,
  connectors: Component,
});

/**
 * The routes of the API itself: ping, health, the OpenAPI document (`/openapi.json`, `/docs`,
 * `/settings`) and API key management. The document covers these and `documentRoutes`, and is
 * built once, on first request.
 */
export function systemRoutes(documentRoutes: readonly AnyRoute[], info: Partial<OpenApiInfo> = {}): AnyRoute[] {
  let document: OpenApiDocument | undefined;
  let page: string | undefined;
  const routes: AnyRoute[] = [];
  const documentOf = (): OpenApiDocument => (document ??= buildOpenApi([...routes, ...documentRoutes], { ...DEFAULT_INFO, ...info }));
  routes.push(
    defineRoute({
      method: 'GET',
      path: '/ping',
      surface: 'wildcat',
      operationId: 'ping',
      summary: 'Check that the server answers',
      tags: ['Health'],
      access: 'public',
      responses: { 200: { description: 'Pong', schema: z.object({ pong: z.literal(true), time: z.string() }) } },
      handler: async (_request, services) => ({ kind: 'json', body: { pong: true, time: new Date(services.now()).toISOString() } }),
    }),
    defineRoute({
      method: 'GET',
      path: '/health',
      surface: 'whapi',
      operationId: 'health',
      summary: 'Health of the API and what it depends on (no auth required)',
      tags: ['System'],
      access: 'public',
      responses: {
        200: { description: 'Up (ok or degraded)', schema: HealthSchema, layout: 'raw' },
        503: { description: 'Down', schema: HealthSchema, layout: 'raw' },
      },
      handler: async (_request, services) => {
        const body = await services.health().then(healthBody, () => unknownHealth(services.now()));
        return { kind: 'json', status: healthStatus(body), body };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      surface: 'system',
      operationId: 'openApiDocument',
      summary: 'The OpenAPI 3.1 document of this API',
      tags: ['System'],
      access: 'public',
      responses: { 200: { description: 'The document', schema: z.looseObject({ openapi: z.string() }), layout: 'raw' } },
      handler: async () => ({ kind: 'json', body: documentOf() }),
    }),
    defineRoute({
      method: 'GET',
      path: '/docs',
      surface: 'whapi',
      operationId: 'docsPage',
      summary: 'API documentation page (HTML, no auth)',
      tags: ['System'],
      access: 'public',
      responses: { 200: { description: 'The page', contentType: 'text/html' } },
      handler: async () => ({ kind: 'html', html: (page ??= docsPage(documentOf())) }),
    }),
    defineRoute({
      method: 'GET',
      path: '/settings',
      surface: 'whapi',
      operationId: 'settings',
      summary: 'Full API documentation object (the OpenAPI document)',
      tags: ['System'],
      access: 'key',
      responses: { 200: { description: 'The OpenAPI document as `data`', schema: z.looseObject({ openapi: z.string() }) } },
      handler: async () => ({ kind: 'json', body: documentOf() }),
    }),
    ...apiKeyRoutes,
  );
  return routes;
}
