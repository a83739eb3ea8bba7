import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomHex } from './randomHex.js';

describe('randomHex', () => {
  it('gives the asked number of bytes as lowercase hex', () => {
    for (const bytes of [1, 8, 9, 16, 4096, 5000]) assert.match(randomHex(bytes), new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
  });

  it('never hands the same bytes out twice, across pool refills', () => {
    // 16-byte ids over several 4 KiB pools: a repeat would mean a reused slice.
    const seen = new Set(Array.from({ length: 2_000 }, () => randomHex(16)));
    assert.equal(seen.size, 2_000);
  });

  it('spreads its bytes over every value', () => {
    const counts = new Array<number>(256).fill(0);
    const hex = randomHex(4096) + randomHex(4096);
    for (let i = 0; i < hex.length; i += 2) counts[parseInt(hex.slice(i, i + 2), 16)]! += 1;
    // 8192 bytes over 256 values: 32 each on average; a stuck or zeroed pool would leave most at 0.
    assert.ok(counts.every((count) => count > 0), 'every byte value occurs');
  });

  it('refuses a size that is not a positive whole number', () => {
    for (const bytes of [0, -1, 1.5, Number.NaN]) assert.throws(() => randomHex(bytes), RangeError);
  });
});
