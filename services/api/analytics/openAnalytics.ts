import type { AnalyticsQueries } from '../../../projections/analytics/index.js';
import { ANALYTICS_DATABASE, ClickHouseAnalytics, ensureAnalyticsSchema, openClickHouse } from '../../../projections/analytics/index.js';
import type { Config } from '../../shared/index.js';
import { HttpAnalytics } from './HttpAnalytics.js';

/** The API's analytics questions and how to let them go. */
export interface OpenedAnalytics {
  queries: AnalyticsQueries;
  /** What `/health` names the store. */
  engine: string;
  close(): Promise<void>;
}

/**
 * The ClickHouse server directly when CLICKHOUSE_URL is set (the tables created here too, so
 * the API may start before the analytics role); otherwise the analytics role's chDB, through
 * that role.
 */
export async function openAnalytics(config: Pick<Config, 'clickhouseUrl' | 'analyticsUrl'>): Promise<OpenedAnalytics> {
  if (config.clickhouseUrl !== undefined) {
    const client = openClickHouse(config.clickhouseUrl);
    try {
      await ensureAnalyticsSchema(client, ANALYTICS_DATABASE);
    } catch (error) {
      await client.close();
      throw error;
    }
    return { queries: new ClickHouseAnalytics(client, ANALYTICS_DATABASE), engine: 'clickhouse', close: () => client.close() };
  }
  return { queries: new HttpAnalytics({ baseUrl: config.analyticsUrl }), engine: 'chdb (via the analytics role)', close: async () => undefined };
}
