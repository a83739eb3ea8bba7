import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OffsetTracker } from './OffsetTracker.js';

describe('OffsetTracker', () => {
  it('given nothing dispatched, then there is no position', () => {
    assert.equal(new OffsetTracker().position(), null);
  });

  it('given commands finishing out of order, then the position stays at the oldest unfinished one', () => {
    const tracker = new OffsetTracker();
    for (const offset of ['10', '11', '12']) tracker.dispatched(offset);
    tracker.completed('11');
    assert.equal(tracker.position(), '10');
    tracker.completed('10');
    assert.equal(tracker.position(), '12');
    tracker.completed('12');
    assert.equal(tracker.position(), '13');
    assert.equal(tracker.inFlight, 0);
  });

  it('given a completion delivered twice, then nothing changes', () => {
    const tracker = new OffsetTracker();
    tracker.dispatched('5');
    tracker.completed('5');
    tracker.completed('5');
    assert.equal(tracker.position(), '6');
  });

  it('given a record fetched again after a rebalance, then it is known as seen', () => {
    const tracker = new OffsetTracker();
    tracker.dispatched('3');
    assert.equal(tracker.seen('3'), true);
    assert.equal(tracker.seen('2'), true);
    assert.equal(tracker.seen('4'), false);
  });
});
