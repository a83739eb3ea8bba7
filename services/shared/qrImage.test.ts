import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WaError } from './WaError.js';
import { qrDataUrl, qrPng, qrTerminal } from './index.js';

// Shaped like Baileys' buildPairingQRData: ref,noiseKey,identityKey,advSecret,platform.
const QR = '2@Zc1h4VtPQ4s9cJ0rT1b3XkW2yLmNoPq,AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/ab=,ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210+/cd=,MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=,1';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('qr images', () => {
  it('renders a PNG', async () => {
    const png = await qrPng(QR);
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    // IHDR: square, and big enough to scan from a screen.
    const width = png.readUInt32BE(16);
    assert.equal(width, png.readUInt32BE(20));
    assert.ok(width >= 200, `width ${width}`);
  });

  it('renders the same PNG as a data URL', async () => {
    const url = await qrDataUrl(QR);
    assert.match(url, /^data:image\/png;base64,/);
    assert.deepEqual(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'), await qrPng(QR));
  });

  it('renders a terminal drawing synchronously', () => {
    const text = qrTerminal(QR);
    assert.ok(text.split('\n').length > 20);
    assert.match(text, /[▄▀█]/);
    assert.equal(qrTerminal(QR), text);
    assert.notEqual(qrTerminal(`${QR}x`), text);
  });

  it('refuses an empty payload and one too long for a QR code, without echoing it', async () => {
    const isInvalid = (error: unknown): boolean => error instanceof WaError && error.code === 'INVALID_ARGUMENT';
    await assert.rejects(qrPng(''), isInvalid);
    await assert.rejects(qrDataUrl(''), isInvalid);
    assert.throws(() => qrTerminal(''), isInvalid);
    const huge = 'secret'.repeat(2_000);
    await assert.rejects(qrPng(huge), (error: unknown) => isInvalid(error) && !(error as Error).message.includes('secret'));
    assert.throws(() => qrTerminal(huge), isInvalid);
  });
});
