import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** True when the module at `moduleUrl` (its import.meta.url) is the script node was started with: a probe run from the command line. */
export function isMainModule(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(moduleUrl);
}

/** Percentile of an ascending-sorted sample (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

/** Prints figures as an aligned table. */
export function printTable(title: string, figures: readonly Figure[]): void {
  const width = Math.max(...figures.map((f) => f.name.length));
  console.log(`\n${title}`);
  for (const f of figures) {
    const value = Number.isInteger(f.value) ? f.value.toLocaleString('en-US') : f.value.toLocaleString('en-US', { maximumFractionDigits: 2 });
    console.log(`  ${f.name.padEnd(width)}  ${value.padStart(14)} ${f.unit}`);
  }
}

/** Calls `request` at a fixed rate (open loop: a slow answer does not delay the next call) and collects latencies. */
export async function atFixedRate(rate: number, seconds: number, request: (i: number) => Promise<boolean>): Promise<{ latencies: number[]; errors: number; achieved: number }> {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const calls: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const t0 = performance.now();
    calls.push(
      request(i).then(
        (ok) => {
          latencies.push(performance.now() - t0);
          if (!ok) errors += 1;
        },
        () => {
          errors += 1;
        },
      ),
    );
  }
  await Promise.all(calls);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { latencies, errors, achieved: latencies.length / elapsed };
}

/** Runs `work` over the items in order, at most `width` at a time. */
export async function inParallel<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}
