import { spawn, type ChildProcess } from 'node:child_process';
import { backoffDelay, type BackoffPolicy } from '../shared/index.js';
import type { Logger } from '../shared/index.js';

export interface ChildSpec {
  name: string;
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
}

export interface SupervisorOptions {
  logger: Logger;
  /** Delay between restarts of a child that keeps failing. */
  restartBackoff?: BackoffPolicy;
  /** How long children get to drain after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
  /** A child that ran this long before exiting starts its backoff afresh. */
  healthyAfterMs?: number;
}

interface Running {
  spec: ChildSpec;
  child: ChildProcess | undefined;
  failures: number;
  startedAt: number;
  restartTimer: NodeJS.Timeout | undefined;
  exited: Promise<void>;
}

const RESTART_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.3 };

/**
 * Keeps a set of child processes running for the single-machine deployment (`start all`):
 * a child that exits is restarted with capped backoff, and stop() sends SIGTERM to every
 * child, waits for them to drain, and kills the ones that do not.
 */
export class Supervisor {
  private readonly running = new Map<string, Running>();
  private stopped = false;

  constructor(private readonly options: SupervisorOptions) {}

  /** Starts (and from then on keeps alive) one child. */
  add(spec: ChildSpec): void {
    const entry: Running = { spec, child: undefined, failures: 0, startedAt: 0, restartTimer: undefined, exited: Promise.resolve() };
    this.running.set(spec.name, entry);
    this.launch(entry);
  }

  /** Pid of a child, for tests and status output. */
  pidOf(name: string): number | undefined {
    return this.running.get(name)?.child?.pid;
  }

  /** Stops every child: SIGTERM, then SIGKILL after the timeout. */
  async stop(): Promise<void> {
    this.stopped = true;
    const timeoutMs = this.options.stopTimeoutMs ?? 30_000;
    await Promise.all(
      [...this.running.values()].map(async (entry) => {
        clearTimeout(entry.restartTimer);
        const child = entry.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => {
          this.options.logger.warn({ child: entry.spec.name }, 'child did not stop in time; killing');
          child.kill('SIGKILL');
        }, timeoutMs);
        await entry.exited;
        clearTimeout(killer);
      }),
    );
  }

  private launch(entry: Running): void {
    const { spec } = entry;
    const child = spawn(spec.command, [...spec.args], { env: spec.env ?? process.env, stdio: ['ignore', 'inherit', 'inherit'] });
    entry.child = child;
    entry.startedAt = Date.now();
    entry.exited = new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    this.options.logger.info({ child: spec.name, childPid: child.pid }, 'child started');
    child.once('exit', (code, signal) => {
      if (this.stopped) return;
      const healthy = Date.now() - entry.startedAt >= (this.options.healthyAfterMs ?? 60_000);
      entry.failures = healthy ? 1 : entry.failures + 1;
      const delay = backoffDelay(entry.failures, this.options.restartBackoff ?? RESTART_BACKOFF);
      this.options.logger.error({ child: spec.name, code, signal, restartInMs: delay }, 'child exited; restarting');
      entry.restartTimer = setTimeout(() => {
        if (!this.stopped) this.launch(entry);
      }, delay);
    });
    child.once('error', (error) => this.options.logger.error({ err: error, child: spec.name }, 'child failed to start'));
  }
}
