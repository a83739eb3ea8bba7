import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DISABLE_AFTER_FAILING_MS, DISABLE_MIN_CONSECUTIVE_FAILURES, shouldDisable } from './shouldDisable.js';

const NOW = 1_750_000_000_000;
const DAY = 24 * 60 * 60_000;

describe('shouldDisable: an endpoint failing for days', () => {
  it('disables after 5 days of failing and at least 10 failures in a row', () => {
    assert.equal(DISABLE_AFTER_FAILING_MS, 5 * DAY);
    assert.equal(DISABLE_MIN_CONSECUTIVE_FAILURES, 10);
    const table: Array<[number | null, number, boolean]> = [
      [null, 1_000, false],
      [NOW, 1_000, false],
      [NOW - 5 * DAY + 1, 1_000, false],
      [NOW - 5 * DAY, 10, true],
      [NOW - 5 * DAY, 9, false],
      [NOW - 30 * DAY, 9, false],
      [NOW - 6 * DAY, 42, true],
    ];
    for (const [firstFailureAt, consecutiveFailures, expected] of table) {
      assert.equal(shouldDisable({ firstFailureAt, now: NOW, consecutiveFailures }), expected, `${firstFailureAt === null ? 'none' : (NOW - firstFailureAt) / DAY} days, ${consecutiveFailures} failures`);
    }
  });
});
