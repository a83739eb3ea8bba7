import { z } from 'zod';
import type { AccountCounts, AccountScope, DayCounts, MessageCounts } from '../../../../projections/analytics/index.js';
import { dayOf, daysBefore } from '../../../../projections/analytics/index.js';
import type { AccountRow } from '../../../../projections/readModels/index.js';
import { WaError } from '../../../shared/index.js';
import type { ApiServices } from '../../ApiServices.js';
import { accountIdOf } from '../../http/access.js';
import { defineRoute, type AnyRoute, type Principal, type RouteRequest } from '../../http/route.js';
import { dataAnswer, readResponses } from './whapiCommand.js';
import { channelNotFound, integerField } from './whapiFields.js';

const TAGS = ['Analytics'] as const;

/** The longest period `days` may ask for: a year, leap day included. */
export const MAX_DAYS = 366;
/** `days` of `/analytics/daily` when not given. */
export const DAILY_DEFAULT_DAYS = 7;
/** `days` of `/analytics/trends` when not given. */
export const TRENDS_DEFAULT_DAYS = 14;

const count = (example: number) => z.number().int().min(0).meta({ example });

/** Messages by direction. */
export const messageCountsSchema = z.object({
  total: count(42),
  sent: count(17),
  received: count(25),
});

/** `GET /analytics/overview`. */
export const overviewSchema = z.object({
  totalMessages: count(1250).meta({ description: 'Every message sent or received (stories left out)' }),
  sentMessages: count(480),
  receivedMessages: count(770),
  todayMessages: count(36).meta({ description: 'Messages of the current UTC day' }),
});

/** One UTC calendar day. */
export const dayCountsSchema = messageCountsSchema.extend({ date: z.string().meta({ description: 'UTC calendar day', format: 'date', example: '2025-01-15' }) });

/** One hour of the day (UTC) over all time. */
export const hourCountsSchema = messageCountsSchema.extend({ hour: z.number().int().min(0).max(23).meta({ description: 'Hour of the day, UTC', example: 14 }) });

/** One day of the week over all time. */
export const weekdayCountsSchema = messageCountsSchema.extend({
  weekday: z.number().int().min(1).max(7).meta({ description: 'ISO day of the week: 1 = Monday … 7 = Sunday', example: 1 }),
  name: z.string().meta({ example: 'Monday' }),
});

/** One entry of `GET /analytics/channels`. */
export const channelStatsSchema = z.object({
  channelId: z.string().meta({ example: 'channel-123' }),
  name: z.string().nullable().meta({ example: 'Sales' }),
  today: count(12).meta({ description: 'Messages of the current UTC day' }),
  week: count(85).meta({ description: 'Messages of the last 7 UTC days, today included' }),
  total: count(1250),
});
export type ChannelStats = z.infer<typeof channelStatsSchema>;

/** `GET /analytics/trends`. */
export const trendsSchema = z.object({
  days: z.number().int().min(1).max(MAX_DAYS).meta({ description: 'Length of each period in days', example: 14 }),
  current: messageCountsSchema.meta({ description: 'The last `days` days, today included' }),
  previous: messageCountsSchema.meta({ description: 'The `days` days before those' }),
  changePercent: z.number().nullable().meta({ description: 'Change of the total from the previous period, in percent with one decimal; null when the previous period has no messages', example: 12.5 }),
  series: z.array(dayCountsSchema).meta({ description: 'The current period day by day, oldest first' }),
});
export type Trends = z.infer<typeof trendsSchema>;

const channelIdQuery = z
  .string({ error: 'channelId must be a single string' })
  .optional()
  .meta({ description: 'Filter by channel (also as the X-Channel-Id header); an account key sees only its own channel', example: 'channel-123' });

/** `days` of a period: a whole number from 1 to 366. */
function daysQuery(fallback: number) {
  return integerField('days', 1, MAX_DAYS)
    .optional()
    .meta({ description: `Number of days, 1 to ${MAX_DAYS} (default ${fallback})`, example: fallback });
}

/** The query of the routes that take only the channel. */
export const channelQuery = z.object({ channelId: channelIdQuery });
/** The query of `/analytics/daily`. */
export const dailyQuery = z.object({ channelId: channelIdQuery, days: daysQuery(DAILY_DEFAULT_DAYS) });
/** The query of `/analytics/trends`. */
export const trendsQuery = z.object({ channelId: channelIdQuery, days: daysQuery(TRENDS_DEFAULT_DAYS) });

/**
 * Which accounts a key's question covers: the admin sees every account (or the one it names);
 * an account key sees its own account only, and naming another is refused (403).
 */
export function analyticsScope(principal: Principal, channelId: string | null): AccountScope {
  switch (principal.kind) {
    case 'admin':
      return channelId === null ? null : [channelId];
    case 'account':
      if (channelId !== null && channelId !== principal.accountId) throw new WaError('FORBIDDEN', `this key may not act for account ${channelId}`);
      return [principal.accountId];
    case 'anonymous':
      throw new WaError('UNAUTHORIZED', 'an API key is required: send it as X-API-Key or Authorization: Bearer');
    default:
      return unknownPrincipal(principal);
  }
}

function unknownPrincipal(principal: never): never {
  throw new WaError('INTERNAL', `unknown principal ${JSON.stringify(principal)}`);
}

/** The days `from` … `to` of a period of `days` days ending on `today`. */
export function periodOf(today: string, days: number): { from: string; to: string } {
  return { from: daysBefore(today, days - 1), to: today };
}

function sum(series: readonly DayCounts[]): MessageCounts {
  const total: MessageCounts = { total: 0, sent: 0, received: 0 };
  for (const day of series) {
    total.total += day.total;
    total.sent += day.sent;
    total.received += day.received;
  }
  return total;
}

/** The change from `previous` to `current` in percent, one decimal; null when there was nothing before. */
export function changePercent(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return Math.round(((current - previous) / previous) * 1000) / 10;
}

/**
 * Trends from the daily counts of two periods of `days` days back to back, oldest first (the
 * answer of `daily` from `today - (2 × days - 1)` to today): the later half is the current period.
 */
export function trendsOf(series: readonly DayCounts[], days: number): Trends {
  if (series.length !== 2 * days) throw new WaError('INTERNAL', `trends need ${2 * days} days of counts, got ${series.length}`);
  const current = series.slice(days);
  const totals = { current: sum(current), previous: sum(series.slice(0, days)) };
  return { days, ...totals, changePercent: changePercent(totals.current.total, totals.previous.total), series: current.map((day) => ({ ...day })) };
}

/** One entry per account, in the accounts' order, with its counts (zeros for an account without messages). */
export function channelStats(accounts: readonly AccountRow[], counts: readonly AccountCounts[]): ChannelStats[] {
  const byAccount = new Map(counts.map((entry) => [entry.accountId, entry]));
  return accounts.map((account) => {
    const found = byAccount.get(account.accountId);
    return { channelId: account.accountId, name: account.name, today: found?.today ?? 0, week: found?.week ?? 0, total: found?.total ?? 0 };
  });
}

type AnalyticsRequest = RouteRequest<unknown, { channelId?: string | undefined }, unknown>;

/** The channel a request names (query or X-Channel-Id), validated, or null. */
function channelOf(request: AnalyticsRequest): string | null {
  return accountIdOf('channel', { params: {}, query: { channelId: request.query.channelId }, body: undefined, headers: request.headers });
}

/** A named channel must exist: a typo is a 404, not a page of zeros. */
async function requireChannel(services: ApiServices, channelId: string): Promise<AccountRow> {
  const row = await services.reads.account(channelId);
  if (row === null) throw channelNotFound();
  return row;
}

/**
 * Answers one analytics question for the request's scope and the current UTC day, checking a
 * named channel exists while the question runs.
 */
async function answerFor<T>(request: AnalyticsRequest, services: ApiServices, ask: (scope: AccountScope, today: string) => Promise<T>): Promise<T> {
  const channelId = channelOf(request);
  const scope = analyticsScope(request.principal, channelId);
  const [answer] = await Promise.all([ask(scope, dayOf(services.now())), channelId === null ? null : requireChannel(services, channelId)]);
  return answer;
}

const CHANNEL_FILTER_ERRORS = { 404: 'Channel not found (the channelId filter names no channel)' } as const;

/** `GET /analytics/overview`. */
export const analyticsOverview = defineRoute({
  method: 'GET',
  path: '/analytics/overview',
  surface: 'whapi',
  operationId: 'analyticsOverview',
  summary: 'Get analytics overview',
  tags: TAGS,
  access: 'key',
  query: channelQuery,
  responses: readResponses('Message totals', overviewSchema, CHANNEL_FILTER_ERRORS),
  handler: async (request, services) => dataAnswer(await answerFor(request, services, (scope, today) => services.analytics.overview(scope, today))),
});

/** `GET /analytics/daily`. */
export const analyticsDaily = defineRoute({
  method: 'GET',
  path: '/analytics/daily',
  surface: 'whapi',
  operationId: 'analyticsDaily',
  summary: 'Get daily message counts',
  tags: TAGS,
  access: 'key',
  query: dailyQuery,
  responses: readResponses('One entry per day, oldest first, ending today (UTC); days without messages as zeros', z.array(dayCountsSchema), CHANNEL_FILTER_ERRORS),
  handler: async (request, services) => {
    const days = request.query.days ?? DAILY_DEFAULT_DAYS;
    return dataAnswer(
      await answerFor(request, services, (scope, today) => {
        const { from, to } = periodOf(today, days);
        return services.analytics.daily(scope, from, to);
      }),
    );
  },
});

/** `GET /analytics/by-hour`. */
export const analyticsByHour = defineRoute({
  method: 'GET',
  path: '/analytics/by-hour',
  surface: 'whapi',
  operationId: 'analyticsByHour',
  summary: 'Get hourly distribution',
  tags: TAGS,
  access: 'key',
  query: channelQuery,
  responses: readResponses('The 24 hours of the day (UTC), 0 first, over all time', z.array(hourCountsSchema), CHANNEL_FILTER_ERRORS),
  handler: async (request, services) => dataAnswer(await answerFor(request, services, (scope) => services.analytics.byHour(scope))),
});

/** `GET /analytics/by-weekday`. */
export const analyticsByWeekday = defineRoute({
  method: 'GET',
  path: '/analytics/by-weekday',
  surface: 'whapi',
  operationId: 'analyticsByWeekday',
  summary: 'Get weekday distribution',
  tags: TAGS,
  access: 'key',
  query: channelQuery,
  responses: readResponses('The 7 days of the week (UTC), Monday first, over all time', z.array(weekdayCountsSchema), CHANNEL_FILTER_ERRORS),
  handler: async (request, services) => dataAnswer(await answerFor(request, services, (scope) => services.analytics.byWeekday(scope))),
});

/** `GET /analytics/channels`: every channel the key may see, with its counts. */
export const analyticsChannels = defineRoute({
  method: 'GET',
  path: '/analytics/channels',
  surface: 'whapi',
  operationId: 'analyticsChannels',
  summary: 'Get per-channel stats',
  tags: TAGS,
  access: 'key',
  query: channelQuery,
  responses: readResponses('One entry per channel the key may see', z.array(channelStatsSchema), CHANNEL_FILTER_ERRORS),
  handler: async (request, services) => {
    const channelId = channelOf(request);
    const scope = analyticsScope(request.principal, channelId);
    const today = dayOf(services.now());
    const [accounts, counts] = await Promise.all([
      scope === null ? services.reads.accounts() : Promise.all(scope.map((id) => services.reads.account(id))),
      services.analytics.perAccount(scope, today),
    ]);
    if (channelId !== null && accounts[0] === null) throw channelNotFound();
    return dataAnswer(channelStats(accounts.filter((row): row is AccountRow => row !== null), counts));
  },
});

/** `GET /analytics/trends`. */
export const analyticsTrends = defineRoute({
  method: 'GET',
  path: '/analytics/trends',
  surface: 'whapi',
  operationId: 'analyticsTrends',
  summary: 'Get message trends',
  tags: TAGS,
  access: 'key',
  query: trendsQuery,
  responses: readResponses('The last `days` days against the `days` before them', trendsSchema, CHANNEL_FILTER_ERRORS),
  handler: async (request, services) => {
    const days = request.query.days ?? TRENDS_DEFAULT_DAYS;
    const series = await answerFor(request, services, (scope, today) => {
      const { from, to } = periodOf(today, 2 * days);
      return services.analytics.daily(scope, from, to);
    });
    return dataAnswer(trendsOf(series, days));
  },
});

/**
 * The `/analytics` routes of the WHAPI document. Any key may ask: the admin key about every
 * channel or the one it names, an account key about its own channel only.
 */
export const analyticsRoutes: AnyRoute[] = [analyticsOverview, analyticsDaily, analyticsByHour, analyticsByWeekday, analyticsChannels, analyticsTrends];
