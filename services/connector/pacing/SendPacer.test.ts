import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SendPacer, type PacerClock } from './SendPacer.js';

/** A clock whose time moves only when the test advances it. */
class FakeClock implements PacerClock {
  private time = 0;
  private timers: { at: number; resolve: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = { at: this.time + ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((t) => t !== timer);
        resolve();
      }, { once: true });
    });
  }

  /** Moves time forward without firing timers: an event loop that runs timers late. */
  jump(ms: number): void {
    this.time += ms;
  }

  /** Moves time forward, firing due timers one by one and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.resolve();
    }
    this.time = target;
    await settle();
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Starts an acquire and records when it resolves or rejects. */
function track(promise: Promise<void>): { done: () => boolean; error: () => unknown } {
  let done = false;
  let error: unknown;
  promise.then(
    () => (done = true),
    (e: unknown) => {
      done = true;
      error = e;
    },
  );
  return { done: () => done, error: () => error };
}

describe('SendPacer', () => {
  it('given a fresh account, when it sends a burst, then the first 5 pass at once and the 6th waits a second', async () => {
    const clock = new FakeClock();
    const pacer = new SendPacer({ clock });
    const acquires = Array.from({ length: 6 }, () => track(pacer.acquire('acc-1')));
    await settle();
    assert.deepEqual(acquires.map((a) => a.done()), [true, true, true, true, true, false]);
    await clock.advance(999);
    assert.equal(acquires[5]!.done(), false);
    await clock.advance(1);
    assert.equal(acquires[5]!.done(), true);
  });

  it('given waiters on one account, then they are served in arrival order, one per refill', async () => {
    const clock = new FakeClock();
    const pacer = new SendPacer({ clock, pacing: { capacity: 1, refillPerSecond: 1 } });
    const order: number[] = [];
    const all = [1, 2, 3].map((n) => pacer.acquire('acc-1').then(() => order.push(n)));
    await settle();
    assert.deepEqual(order, [1]);
    await clock.advance(1_000);
    assert.deepEqual(order, [1, 2]);
    await clock.advance(1_000);
    assert.deepEqual(order, [1, 2, 3]);
    await Promise.all(all);
  });

  it('given a waiter whose timer fires late, then a newcomer arriving meanwhile does not overtake it', async () => {
    const clock = new FakeClock();
    const pacer = new SendPacer({ clock, pacing: { capacity: 1, refillPerSecond: 1 } });
    await pacer.acquire('acc-1');
    const waiter = track(pacer.acquire('acc-1'));
    await settle();
    clock.jump(1_000);
    const newcomer = track(pacer.acquire('acc-1'));
    await settle();
    assert.equal(newcomer.done(), false, 'the newcomer queues behind the waiter');
    await clock.advance(0);
    assert.equal(waiter.done(), true);
    assert.equal(newcomer.done(), false);
    await clock.advance(1_000);
    assert.equal(newcomer.done(), true);
  });

  it('given one busy account, then another account is not slowed down', async () => {
    const clock = new FakeClock();
    const pacer = new SendPacer({ clock, pacing: { capacity: 1, refillPerSecond: 1 } });
    await pacer.acquire('busy');
    const busy = track(pacer.acquire('busy'));
    const other = track(pacer.acquire('quiet'));
    await settle();
    assert.equal(busy.done(), false);
    assert.equal(other.done(), true);
  });

  it('given a waiter that aborts, then it rejects with the reason and the ones behind it still get their turn', async () => {
    const clock = new FakeClock();
    const pacer = new SendPacer({ clock, pacing: { capacity: 1, refillPerSecond: 1 } });
    await pacer.acquire('acc-1');
    const controller = new AbortController();
    const second = track(pacer.acquire('acc-1', controller.signal));
    const third = track(pacer.acquire('acc-1'));
    await settle();
    controller.abort(new Error('deadline'));
    await settle();
    assert.equal(second.done(), true);
    assert.equal((second.error() as Error).message, 'deadline');
    assert.equal(third.done(), false);
    await clock.advance(1_000);
    assert.equal(third.done(), true);
    assert.equal(third.error(), undefined);
  });

  it('given an already aborted signal, then acquire rejects without taking a token', async () => {
    const clock = new FakeClock();
    const pacer = new SendPacer({ clock, pacing: { capacity: 1, refillPerSecond: 1 } });
    await assert.rejects(pacer.acquire('acc-1', AbortSignal.abort(new Error('gone'))), /gone/);
    const next = track(pacer.acquire('acc-1'));
    await settle();
    assert.equal(next.done(), true);
  });

  it('given an account forgotten, then its next acquire starts with a full bucket', async () => {
    const clock = new FakeClock();
    const pacer = new SendPacer({ clock, pacing: { capacity: 1, refillPerSecond: 1 } });
    await pacer.acquire('acc-1');
    pacer.forget('acc-1');
    const next = track(pacer.acquire('acc-1'));
    await settle();
    assert.equal(next.done(), true);
  });
});
