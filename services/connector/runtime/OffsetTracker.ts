/**
 * Which command offsets of one partition are done, so that only a contiguous prefix is
 * committed: commands of different accounts finish out of order, and a command that is not
 * finished must be read again after a crash or a rebalance.
 */
export class OffsetTracker {
  private readonly pending = new Set<bigint>();
  private highest: bigint | undefined;

  /** True when `offset` was taken into work before (a fetch after a rebalance repeats records). */
  seen(offset: string): boolean {
    return this.highest !== undefined && BigInt(offset) <= this.highest;
  }

  /** Records that the command at `offset` was taken into work. */
  dispatched(offset: string): void {
    const value = BigInt(offset);
    this.pending.add(value);
    if (this.highest === undefined || value > this.highest) this.highest = value;
  }

  /** Records that the command at `offset` is finished (its result is written or being written). */
  completed(offset: string): void {
    this.pending.delete(BigInt(offset));
  }

  /** The next offset to read after a restart: the oldest unfinished command, or one past the newest; null before any. */
  position(): string | null {
    if (this.highest === undefined) return null;
    let oldest: bigint | undefined;
    for (const offset of this.pending) if (oldest === undefined || offset < oldest) oldest = offset;
    return String(oldest ?? this.highest + 1n);
  }

  /** How many commands are taken but not finished. */
  get inFlight(): number {
    return this.pending.size;
  }
}
