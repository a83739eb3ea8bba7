import type { Logger } from './logger.js';

type Hook = { name: string; run: () => Promise<void> | void };

/**
 * Orderly shutdown for one process: resources register a close hook as they open, and on
 * SIGTERM / SIGINT (or a fatal error) the hooks run in reverse order within a time bound,
 * so in-flight batches finish and commit before the process exits.
 */
export class Lifecycle {
  private readonly hooks: Hook[] = [];
  private stopping: Promise<void> | undefined;
  private readonly controller = new AbortController();

  constructor(
    private readonly logger: Logger,
    private readonly drainTimeoutMs = 25_000,
  ) {}

  /** Aborted (with the reason: a signal's name, or `fatal`) as soon as shutdown begins; long waits pass it on so they end early. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Registers a close hook; hooks run last-registered first. */
  onShutdown(name: string, run: Hook['run']): void {
    this.hooks.push({ name, run });
  }

  /** Runs every hook once, bounded in time; later calls wait for the first. */
  shutdown(reason: string): Promise<void> {
    this.stopping ??= this.runHooks(reason);
    return this.stopping;
  }

  /** Exits the process after shutdown on SIGTERM / SIGINT, and with code 1 on a fatal error. */
  installSignalHandlers(): void {
    const onSignal = (signal: NodeJS.Signals): void => {
      this.logger.info({ signal }, 'shutting down');
      void this.shutdown(signal).then(() => process.exit(0));
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }

  /** Logs a fatal error, shuts down, and exits with code 1. */
  fail(error: unknown): void {
    this.logger.fatal({ err: error }, 'fatal error');
    void this.shutdown('fatal').then(() => process.exit(1));
  }

  private async runHooks(reason: string): Promise<void> {
    this.controller.abort(reason);
    const deadline = Date.now() + this.drainTimeoutMs;
    for (const hook of [...this.hooks].reverse()) {
      const remaining = Math.max(0, deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), remaining);
      });
      try {
        const outcome = await Promise.race([Promise.resolve().then(hook.run), timedOut]);
        if (outcome === 'timeout') this.logger.warn({ hook: hook.name, reason }, 'shutdown hook timed out');
      } catch (error) {
        this.logger.error({ err: error, hook: hook.name, reason }, 'shutdown hook failed');
      } finally {
        clearTimeout(timer);
      }
    }
  }
}
