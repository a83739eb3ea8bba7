/**
 * Marks a session's callback while its synchronous part runs, so close() called there (a
 * handler closing its own session) does not wait for the callback that called it. close() and
 * logout() read the mark on entry, before their own first await. A close() reached only after
 * the callback's first await is not recognised: it waits for the callback, bounded by the
 * driver's drain timeout.
 *
 * AsyncLocalStorage would follow the callback's awaits too, but on Node 20 it turns promise
 * hooks on for the whole process: 17% of the connector's CPU per inbound event (ingest probe,
 * 121 → 101 µs per event without it).
 */
export class CallbackScope {
  private depth = 0;

  /** True while a callback's synchronous part is running. */
  get active(): boolean {
    return this.depth > 0;
  }

  /** Calls a callback inside the scope; its promise is returned as it is. */
  run<T>(callback: () => Promise<T>): Promise<T> {
    this.depth += 1;
    try {
      return callback();
    } finally {
      this.depth -= 1;
    }
  }
}
