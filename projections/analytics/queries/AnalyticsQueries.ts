/** Which accounts a question covers: the listed ones, or every account (null). */
export type AccountScope = readonly string[] | null;

/** Messages counted by direction (stories are not messages: they are left out). */
export interface MessageCounts {
  total: number;
  sent: number;
  received: number;
}

/** `GET /analytics/overview`. */
export interface Overview {
  totalMessages: number;
  sentMessages: number;
  receivedMessages: number;
  todayMessages: number;
}

/** One calendar day (UTC). */
export interface DayCounts extends MessageCounts {
  date: string;
}

/** One hour of the day (UTC, 0-23), over all time. */
export interface HourCounts extends MessageCounts {
  hour: number;
}

/** One day of the week (ISO: 1 = Monday … 7 = Sunday), over all time. */
export interface WeekdayCounts extends MessageCounts {
  weekday: number;
  name: string;
}

/** One account's messages today, in the last 7 days (today included) and in all. */
export interface AccountCounts {
  accountId: string;
  today: number;
  week: number;
  total: number;
}

/**
 * The analytics questions the API asks (and the analytics role serves over HTTP when its store
 * is chDB, which only its own process may open). Days are UTC calendar days `YYYY-MM-DD`, given
 * by the caller, so every answer is a function of its arguments and the stored facts.
 */
export interface AnalyticsQueries {
  overview(scope: AccountScope, today: string): Promise<Overview>;
  /** Every day from `from` to `to` (both included), days without messages as zeros, oldest first. */
  daily(scope: AccountScope, from: string, to: string): Promise<DayCounts[]>;
  /** The 24 hours of the day, 0 first. */
  byHour(scope: AccountScope): Promise<HourCounts[]>;
  /** The 7 days of the week, Monday first. */
  byWeekday(scope: AccountScope): Promise<WeekdayCounts[]>;
  /** Accounts with messages (of the scope), by account id. */
  perAccount(scope: AccountScope, today: string): Promise<AccountCounts[]>;
  ping(): Promise<void>;
}

/** Every method of AnalyticsQueries: what the analytics role serves over HTTP. */
export const ANALYTICS_METHODS = ['overview', 'daily', 'byHour', 'byWeekday', 'perAccount', 'ping'] as const satisfies readonly (keyof AnalyticsQueries)[];
export type AnalyticsMethod = (typeof ANALYTICS_METHODS)[number];

/** The path a question is served at: `POST /analytics/<method>` with the arguments as a JSON array. */
export const ANALYTICS_PATH = '/analytics/';
