import type { Server } from 'node:http';
import type { Logger } from '../../../services/shared/index.js';
import { serveMethods } from '../../../services/shared/rpc/index.js';
import { ANALYTICS_METHODS, ANALYTICS_PATH, type AnalyticsQueries } from './AnalyticsQueries.js';

/**
 * Serves the analytics questions over HTTP (`POST /analytics/<method>`, arguments as a JSON
 * array) for API processes when the store is chDB in this process, which no other process may
 * open. Bound to loopback unless told otherwise: it is an internal interface.
 */
export function serveAnalytics(options: { queries: AnalyticsQueries; port: number; host?: string; logger: Logger }): Promise<Server> {
  const { queries, port, host, logger } = options;
  return serveMethods({ target: queries, methods: ANALYTICS_METHODS, path: ANALYTICS_PATH, port, host, logger, what: 'analytics' });
}
