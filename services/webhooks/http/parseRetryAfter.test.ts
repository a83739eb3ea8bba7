import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfter } from './parseRetryAfter.js';

const NOW = Date.UTC(2015, 9, 21, 7, 27, 0);

describe('parseRetryAfter: both forms of the header', () => {
  it('reads delay-seconds and HTTP dates (IMF-fixdate, RFC 850, asctime as GMT), a past date as 0', () => {
    const table: Array<[string | string[] | undefined, number | null]> = [
      ['7', 7],
      [' 120 ', 120],
      ['0', 0],
      [['30', '60'], 30],
      ['Wed, 21 Oct 2015 07:28:00 GMT', 60],
      ['Wed, 21 Oct 2015 07:28:00 +0000', 60],
      ['Wednesday, 21-Oct-15 07:28:00 GMT', 60],
      ['Wed Oct 21 07:28:00 2015', 60],
      ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
      ['Tue, 20 Oct 2015 07:28:00 GMT', 0],
    ];
    for (const [value, expected] of table) assert.equal(parseRetryAfter(value, NOW), expected, String(value));
  });

  it('ignores anything else', () => {
    for (const value of [undefined, '', '  ', '-1', '1.5', '1e3', '2015-10-21T07:28:00Z', 'soon', 'Wed, 99 Foo 2015', '9'.repeat(30), []]) {
      assert.equal(parseRetryAfter(value, NOW), null, String(value));
    }
  });
});
