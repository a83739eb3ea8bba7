import { useState } from 'preact/hooks';
import type { Api, ChannelTotals, DailyVolume, HourlyVolume, Overview, WeekdayVolume } from './api';
import { BarChart, type BarRow } from './BarChart';
import { AccountSelect, ErrorNote, useAccounts, useLoad } from './ui';

interface Figures {
  overview: Overview;
  daily: DailyVolume[];
  hourly: HourlyVolume[];
  weekdays: WeekdayVolume[];
  channels: ChannelTotals[];
}

const SERIES = ['Received', 'Sent'] as const;
const DAY_CHOICES = [7, 14, 30, 90] as const;

/** Volume rows in the charts' shape: received, then sent. */
export function volumeRows<T extends { received: number; sent: number }>(rows: readonly T[], label: (row: T) => string): BarRow[] {
  return rows.map((row) => ({ label: label(row), values: [row.received, row.sent] }));
}

/** `2025-01-15` as `15 Jan`, read as the UTC day it names. */
export function dayLabel(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) ? date : parsed.toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** Charts of the `/analytics` endpoints: daily, hourly and weekday volume, and totals per channel. */
export function AnalyticsView(props: { api: Api; scope: string | null }) {
  const { api, scope } = props;
  const { accounts } = useAccounts(api, scope);
  const [channel, setChannel] = useState(scope ?? '');
  const [days, setDays] = useState<number>(7);
  const [round, setRound] = useState(0);
  const id = channel === '' ? null : channel;
  const { value: figures, error } = useLoad(
    JSON.stringify([channel, days]),
    async (): Promise<Figures> => {
      const [overview, daily, hourly, weekdays, channels] = await Promise.all([api.overview(id), api.daily(id, days), api.byHour(id), api.byWeekday(id), api.channelTotals(id)]);
      return { overview, daily, hourly, weekdays, channels };
    },
    round,
  );

  return (
    <>
      <div class="card filters">
        <AccountSelect id="analytics-account" accounts={accounts} value={channel} allLabel={scope === null ? 'All accounts' : undefined} onChange={setChannel} />
        <label for="analytics-days">
          Days
          <select id="analytics-days" value={String(days)} onChange={(event) => setDays(Number((event.currentTarget as HTMLSelectElement).value))}>
            {DAY_CHOICES.map((n) => (
              <option key={n} value={String(n)}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => setRound((n) => n + 1)}>
          Refresh
        </button>
      </div>
      <ErrorNote error={error} />
      {figures !== null && (
        <>
          <dl class="totals" aria-label="Totals">
            <div>
              <dt>Messages</dt>
              <dd>{figures.overview.totalMessages}</dd>
            </div>
            <div>
              <dt>Received</dt>
              <dd>{figures.overview.receivedMessages}</dd>
            </div>
            <div>
              <dt>Sent</dt>
              <dd>{figures.overview.sentMessages}</dd>
            </div>
            <div>
              <dt>Today (UTC)</dt>
              <dd>{figures.overview.todayMessages}</dd>
            </div>
          </dl>
          <div class="charts">
            <BarChart
              id="chart-daily"
              title="Daily message volume"
              series={SERIES}
              rows={volumeRows(figures.daily, (row) => dayLabel(row.date))}
              labelEvery={Math.ceil(figures.daily.length / 10)}
            />
            <BarChart id="chart-hourly" title="Messages by hour of day (UTC)" series={SERIES} rows={volumeRows(figures.hourly, (row) => String(row.hour).padStart(2, '0'))} labelEvery={3} />
            <BarChart id="chart-weekday" title="Messages by weekday" series={SERIES} rows={volumeRows(figures.weekdays, (row) => row.name.slice(0, 3))} />
            <BarChart
              id="chart-channels"
              title="Messages per channel"
              series={['Messages']}
              layout="rows"
              rows={figures.channels.map((row) => ({ label: row.name && row.name !== row.channelId ? `${row.name} (${row.channelId})` : row.channelId, values: [row.total] }))}
            />
          </div>
        </>
      )}
    </>
  );
}
