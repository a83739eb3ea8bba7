import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaError } from '../../shared/index.js';
import type { LiveEvent } from '../ApiServices.js';
import { eventFilter } from './eventFilter.js';
import { parsePositions } from './positions.js';
import { SLOW_SUBSCRIBER, Subscriber, type PositionedEvent } from './Subscriber.js';

function item(topic: string, partition: number, offset: number): PositionedEvent {
  const event: LiveEvent = {
    position: `${topic}:${partition}:${offset}`,
    eventId: `e${offset}`,
    type: 'message.received',
    accountId: 'a',
    chatJid: null,
    sequence: offset,
    occurredAt: 0,
    recordedAt: 0,
    envelope: {},
  };
  return { key: `${topic}:${partition}`, offset: BigInt(offset), event };
}

describe('Subscriber', () => {
  it('delivers queued events in order, each with the stream position list as its cursor', async () => {
    const subscriber = new Subscriber(eventFilter(null, null), 10, new Map([['c:0', 4n], ['a:0', -1n]]));
    subscriber.push(item('c', 0, 5));
    subscriber.push(item('a', 0, 0));
    const signal = new AbortController().signal;
    const first = subscriber.accept((await subscriber.take(signal))!);
    const second = subscriber.accept((await subscriber.take(signal))!);
    assert.equal(first?.cursor, 'c:0:5,a:0:-1');
    assert.equal(second?.cursor, 'c:0:5,a:0:0');
    assert.deepEqual([...parsePositions(second!.cursor!)], [['c:0', 5n], ['a:0', 0n]], 'the cursor is a valid Last-Event-ID');
  });

  it('never delivers a position twice, nor one at or before where it resumed', () => {
    const subscriber = new Subscriber(eventFilter(null, null), 10, new Map([['c:0', 10n]]));
    assert.equal(subscriber.accept(item('c', 0, 9)), null);
    assert.equal(subscriber.accept(item('c', 0, 10)), null);
    assert.ok(subscriber.accept(item('c', 0, 11)));
    assert.equal(subscriber.accept(item('c', 0, 11)), null);
  });

  it('wakes a waiting take when an event is pushed, and returns null once aborted', async () => {
    const subscriber = new Subscriber(eventFilter(null, null), 10, new Map());
    const controller = new AbortController();
    const waiting = subscriber.take(controller.signal);
    subscriber.push(item('c', 0, 1));
    assert.equal((await waiting)?.offset, 1n);
    const idle = subscriber.take(controller.signal);
    controller.abort();
    assert.equal(await idle, null);
  });

  it('is dropped, its queue freed, when it falls more than maxQueued events behind', async () => {
    const subscriber = new Subscriber(eventFilter(null, null), 3, new Map());
    for (let offset = 0; offset < 3; offset += 1) subscriber.push(item('c', 0, offset));
    assert.equal(subscriber.queued, 3);
    subscriber.push(item('c', 0, 3));
    assert.equal(subscriber.queued, 0);
    subscriber.push(item('c', 0, 4));
    assert.equal(subscriber.queued, 0, 'a dropped stream takes nothing more');
    await assert.rejects(subscriber.take(new AbortController().signal), (error: unknown) => {
      assert.ok(error instanceof WaError);
      assert.equal(error.code, 'UNAVAILABLE');
      assert.equal(error.details?.['reason'], SLOW_SUBSCRIBER);
      return true;
    });
    assert.throws(() => subscriber.check());
  });

  it('does not pile abort listeners onto the request signal while waiting', async () => {
    const subscriber = new Subscriber(eventFilter(null, null), 1_000, new Map());
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added += 1;
      add(...args);
    }) as typeof add;
    controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed += 1;
      remove(...args);
    }) as typeof remove;
    for (let offset = 0; offset < 50; offset += 1) {
      const waiting = subscriber.take(controller.signal);
      subscriber.push(item('c', 0, offset));
      await waiting;
    }
    assert.equal(added, 50);
    assert.equal(removed, 50);
  });
});
