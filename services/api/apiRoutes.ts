import { commandStatusRoute } from './commands/index.js';
import { eventsRoute } from './events/index.js';
import type { AnyRoute } from './http/index.js';
import { channelRoutes } from './routes/channels/index.js';
import { analyticsRoutes, whapiRoutes } from './routes/whapi/index.js';
import { wildcatRoutes } from './routes/wildcat/index.js';
import { systemRoutes } from './system/index.js';

/** Every route of both documents and our own additions, in one list: what createApp serves and OpenAPI describes. */
export function apiRoutes(): AnyRoute[] {
  const documentRoutes: AnyRoute[] = [...wildcatRoutes, ...channelRoutes, ...whapiRoutes, ...analyticsRoutes, commandStatusRoute, eventsRoute];
  return [...systemRoutes(documentRoutes, { title: 'wa-backbone API' }), ...documentRoutes];
}
