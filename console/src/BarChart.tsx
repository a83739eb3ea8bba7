// Plain SVG bar charts: a named image for assistive technology (title and a one-line summary),
// a title per bar, and the numbers as a table beside it.
import { ColumnHeads } from './ui';

/** One bar: its label and one value per series (stacked in series order). */
export interface BarRow {
  label: string;
  values: readonly number[];
}

export interface BarChartProps {
  /** Unique on the page: the ids of the title and summary derive from it. */
  id: string;
  title: string;
  series: readonly string[];
  rows: readonly BarRow[];
  /** `columns` (default): bars stand on the x axis; `rows`: one bar per line, for long labels. */
  layout?: 'columns' | 'rows';
  /** Show every n-th column label (long series, narrow screens). */
  labelEvery?: number;
}

/** A round upper bound for an axis holding `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}

/** One sentence about the data: what a screen reader says instead of the picture. */
export function chartSummary(rows: readonly BarRow[], series: readonly string[]): string {
  const totals = rows.map((row) => row.values.reduce((sum, value) => sum + value, 0));
  const total = totals.reduce((sum, value) => sum + value, 0);
  if (total === 0) return 'No messages in this period.';
  const top = totals.indexOf(Math.max(...totals));
  const parts = series.length > 1 ? ` (${series.map((name, i) => `${name.toLowerCase()} ${rows.reduce((sum, row) => sum + (row.values[i] ?? 0), 0)}`).join(', ')})` : '';
  return `${total} in all${parts}; the most, ${totals[top]}, at ${rows[top]!.label}.`;
}

// Narrow enough that its labels stay readable when scaled down to a phone's width.
const WIDTH = 480;

/** A stacked bar chart with its data table. */
export function BarChart(props: BarChartProps) {
  const { id, title, series, rows } = props;
  const summary = chartSummary(rows, series);
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      {props.layout === 'rows' ? <RowBars {...props} summary={summary} /> : <ColumnBars {...props} summary={summary} />}
      <ul class="legend" aria-hidden="true">
        {series.length > 1 &&
          series.map((name, i) => (
            <li key={name}>
              <svg width="12" height="12" viewBox="0 0 12 12">
                <rect class={`series-${i}`} width="12" height="12" />
              </svg>
              {name}
            </li>
          ))}
      </ul>
      <details>
        <summary>Data table: {title}</summary>
        <div class="table-wrap">
          <table>
            <ColumnHeads names={[props.layout === 'rows' ? 'Channel' : 'When', ...series]} />
            <tbody>
              {rows.map((row) => (
                <tr key={row.label}>
                  <th scope="row">{row.label}</th>
                  {row.values.map((value, i) => (
                    <td key={series[i]}>{value}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function describe(row: BarRow, series: readonly string[]): string {
  return `${row.label}: ${row.values.map((value, i) => (series.length > 1 ? `${series[i]} ${value}` : String(value))).join(', ')}`;
}

function ColumnBars(props: BarChartProps & { summary: string }) {
  const { id, title, series, rows } = props;
  const height = 200;
  const left = 34;
  const bottom = 24;
  const top = 10;
  const plotWidth = WIDTH - left - 8;
  const plotHeight = height - top - bottom;
  const max = niceMax(Math.max(0, ...rows.map((row) => row.values.reduce((a, b) => a + b, 0))));
  const band = plotWidth / Math.max(1, rows.length);
  const barWidth = Math.max(2, band * 0.7);
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  const every = props.labelEvery ?? 1;
  return (
    <svg class="chart-svg" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{props.summary}</desc>
      {[0, max / 2, max].filter(Number.isInteger).map((tick) => (
        <g key={tick} class="tick">
          <line x1={left} x2={WIDTH - 8} y1={y(tick)} y2={y(tick)} />
          <text x={left - 6} y={y(tick) + 4} text-anchor="end">
            {tick}
          </text>
        </g>
      ))}
      {rows.map((row, index) => {
        const x = left + index * band + (band - barWidth) / 2;
        let base = 0;
        return (
          <g key={row.label}>
            {row.values.map((value, i) => {
              if (value <= 0) return null;
              const bar = (
                <rect key={series[i]} class={`bar series-${i}`} x={x} width={barWidth} y={y(base + value)} height={y(base) - y(base + value)}>
                  <title>{describe(row, series)}</title>
                </rect>
              );
              base += value;
              return bar;
            })}
            {index % every === 0 && (
              <text class="axis-label" x={x + barWidth / 2} y={height - 8} text-anchor="middle">
                {row.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

function RowBars(props: BarChartProps & { summary: string }) {
  const { id, title, series, rows } = props;
  const line = 30;
  const left = 140;
  const right = 40;
  const height = Math.max(1, rows.length) * line + 10;
  const max = niceMax(Math.max(0, ...rows.map((row) => row.values.reduce((a, b) => a + b, 0))));
  const scale = (value: number) => (value / max) * (WIDTH - left - right);
  return (
    <svg class="chart-svg" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{props.summary}</desc>
      {rows.map((row, index) => {
        const y = 5 + index * line;
        let base = 0;
        const total = row.values.reduce((a, b) => a + b, 0);
        return (
          <g key={row.label}>
            <text class="axis-label" x={left - 8} y={y + line / 2 + 4} text-anchor="end">
              {row.label.length > 22 ? `${row.label.slice(0, 21)}…` : row.label}
            </text>
            {row.values.map((value, i) => {
              if (value <= 0) return null;
              const bar = (
                <rect key={series[i]} class={`bar series-${i}`} x={left + scale(base)} y={y + 4} width={scale(value)} height={line - 8}>
                  <title>{describe(row, series)}</title>
                </rect>
              );
              base += value;
              return bar;
            })}
            <text class="value" x={left + scale(total) + 6} y={y + line / 2 + 4}>
              {total}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
