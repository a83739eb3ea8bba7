import type { AnalyticsMethod, AnalyticsQueries } from '../../../projections/analytics/index.js';
import { ANALYTICS_PATH } from '../../../projections/analytics/index.js';
import { callMethod } from '../../shared/rpc/index.js';

type Question<M extends AnalyticsMethod> = AnalyticsQueries[M];

/**
 * The analytics questions answered by the analytics role over HTTP: chDB runs inside that
 * process and can be opened by it only, so API processes ask it.
 */
export class HttpAnalytics implements AnalyticsQueries {
  constructor(private readonly options: { baseUrl: string; timeoutMs?: number; fetch?: typeof globalThis.fetch }) {}

  private call<M extends AnalyticsMethod>(method: M, args: Parameters<Question<M>>): Promise<Awaited<ReturnType<Question<M>>>> {
    const { baseUrl, timeoutMs, fetch } = this.options;
    return callMethod(baseUrl, ANALYTICS_PATH, method, args, { what: 'analytics (the analytics role)', timeoutMs, fetch });
  }

  overview: AnalyticsQueries['overview'] = (...args) => this.call('overview', args);
  daily: AnalyticsQueries['daily'] = (...args) => this.call('daily', args);
  byHour: AnalyticsQueries['byHour'] = (...args) => this.call('byHour', args);
  byWeekday: AnalyticsQueries['byWeekday'] = (...args) => this.call('byWeekday', args);
  perAccount: AnalyticsQueries['perAccount'] = (...args) => this.call('perAccount', args);
  ping: AnalyticsQueries['ping'] = async () => {
    await this.call('ping', []);
  };
}
