/**
 * At most `limit` requests in flight per endpoint (subscription); the rest queue in arrival
 * order. One slow endpoint then holds only its own slots.
 */
export class EndpointLimiter {
  private readonly slots = new Map<string, { running: number; waiting: (() => void)[] }>();

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }

  /** Runs `work` once the endpoint has a free slot. */
  async run<T>(endpoint: string, work: () => Promise<T>): Promise<T> {
    let slot = this.slots.get(endpoint);
    if (!slot) this.slots.set(endpoint, (slot = { running: 0, waiting: [] }));
    if (slot.running >= this.limit) await new Promise<void>((resolve) => slot.waiting.push(resolve));
    else slot.running += 1;
    try {
      return await work();
    } finally {
      const next = slot.waiting.shift();
      // The slot passes straight to the next in line, so `running` stays counted.
      if (next) next();
      else {
        slot.running -= 1;
        if (slot.running === 0) this.slots.delete(endpoint);
      }
    }
  }

  /** Requests in flight to an endpoint. */
  inFlight(endpoint: string): number {
    return this.slots.get(endpoint)?.running ?? 0;
  }
}
