import type { AnalyticsClient } from '../client/AnalyticsClient.js';
import { qualified } from '../sql/analyticsSchema.js';
import { sqlDate, sqlStringList } from '../sql/sqlLiteral.js';
import type { AccountCounts, AccountScope, AnalyticsQueries, DayCounts, HourCounts, MessageCounts, Overview, WeekdayCounts } from './AnalyticsQueries.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
const DAY_MS = 86_400_000;

type CountRow = { direction: string; n: number | string };

function zero(): MessageCounts {
  return { total: 0, sent: 0, received: 0 };
}

function add(counts: MessageCounts, direction: string, n: number): void {
  counts.total += n;
  if (direction === 'outbound') counts.sent += n;
  else if (direction === 'inbound') counts.received += n;
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); at <= end; at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/** The day `n` days before `day` (UTC). */
export function daysBefore(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - n * DAY_MS).toISOString().slice(0, 10);
}

/** The analytics questions answered from the rollup views (stories left out). */
export class ClickHouseAnalytics implements AnalyticsQueries {
  constructor(
    private readonly client: AnalyticsClient,
    private readonly database: string,
  ) {}

  private where(scope: AccountScope, extra?: string): string {
    const conditions = ["chat_kind != 'status'"];
    if (scope !== null) conditions.push(scope.length === 0 ? '0' : `account_id IN ${sqlStringList(scope)}`);
    if (extra) conditions.push(extra);
    return conditions.join(' AND ');
  }

  async overview(scope: AccountScope, today: string): Promise<Overview> {
    const rows = await this.client.query<CountRow & { today: number | string }>(
      `SELECT direction, day = ${sqlDate(today)} AS today, countMerge(messages) AS n FROM ${qualified(this.database, 'messages_daily')} WHERE ${this.where(scope)} GROUP BY direction, today`,
    );
    const all = zero();
    let todayMessages = 0;
    for (const row of rows) {
      add(all, row.direction, Number(row.n));
      if (Number(row.today) === 1) todayMessages += Number(row.n);
    }
    return { totalMessages: all.total, sentMessages: all.sent, receivedMessages: all.received, todayMessages };
  }

  async daily(scope: AccountScope, from: string, to: string): Promise<DayCounts[]> {
    // Not `AS day`: an alias is seen by WHERE too, which would then compare a string with a date.
    const rows = await this.client.query<CountRow & { date: string }>(
      `SELECT toString(day) AS date, direction, countMerge(messages) AS n FROM ${qualified(this.database, 'messages_daily')} WHERE ${this.where(scope, `day >= ${sqlDate(from)} AND day <= ${sqlDate(to)}`)} GROUP BY date, direction`,
    );
    const byDay = new Map(daysBetween(from, to).map((date) => [date, { date, ...zero() }]));
    for (const row of rows) {
      const day = byDay.get(row.date);
      if (day) add(day, row.direction, Number(row.n));
    }
    return [...byDay.values()];
  }

  async byHour(scope: AccountScope): Promise<HourCounts[]> {
    const rows = await this.client.query<CountRow & { hour: number | string }>(
      `SELECT toHour(hour) AS hour, direction, countMerge(messages) AS n FROM ${qualified(this.database, 'messages_hourly')} WHERE ${this.where(scope)} GROUP BY hour, direction`,
    );
    const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, ...zero() }));
    for (const row of rows) add(hours[Number(row.hour)]!, row.direction, Number(row.n));
    return hours;
  }

  async byWeekday(scope: AccountScope): Promise<WeekdayCounts[]> {
    const rows = await this.client.query<CountRow & { weekday: number | string }>(
      `SELECT weekday, direction, countMerge(messages) AS n FROM ${qualified(this.database, 'messages_weekday')} WHERE ${this.where(scope)} GROUP BY weekday, direction`,
    );
    const days = WEEKDAYS.map((name, i) => ({ weekday: i + 1, name, ...zero() }));
    for (const row of rows) add(days[Number(row.weekday) - 1]!, row.direction, Number(row.n));
    return days;
  }

  async perAccount(scope: AccountScope, today: string): Promise<AccountCounts[]> {
    const rows = await this.client.query<{ account: string; today: number | string; week: number | string; n: number | string }>(
      `SELECT account_id AS account, day = ${sqlDate(today)} AS today, day > ${sqlDate(daysBefore(today, 7))} AND day <= ${sqlDate(today)} AS week, countMerge(messages) AS n
       FROM ${qualified(this.database, 'messages_daily')} WHERE ${this.where(scope)} GROUP BY account, today, week`,
    );
    const accounts = new Map<string, AccountCounts>();
    for (const row of rows) {
      const counts = accounts.get(row.account) ?? { accountId: row.account, today: 0, week: 0, total: 0 };
      accounts.set(row.account, counts);
      const n = Number(row.n);
      counts.total += n;
      if (Number(row.week) === 1) counts.week += n;
      if (Number(row.today) === 1) counts.today += n;
    }
    return [...accounts.values()].sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  }

  ping(): Promise<void> {
    return this.client.ping();
  }
}
