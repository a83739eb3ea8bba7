import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printQr, qrBanner } from './printQr.js';

describe('printQr', () => {
  it('writes which account the QR links and the QR drawn in blocks', () => {
    const written: string[] = [];
    printQr('mybot', '2@AbCdEf,ghIJ==,kl', (text) => written.push(text));
    assert.equal(written.length, 1);
    assert.match(written[0]!, /link account mybot:/);
    assert.match(written[0]!, /[▀▄█]/);
    assert.equal(written[0], qrBanner('mybot', '2@AbCdEf,ghIJ==,kl'));
  });

  it('skips a QR that cannot be drawn instead of failing the request', () => {
    const written: string[] = [];
    printQr('mybot', 'x'.repeat(10_000), (text) => written.push(text));
    assert.deepEqual(written, []);
  });
});
