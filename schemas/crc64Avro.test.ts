import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc64Avro, fingerprintBytes, fingerprintHex } from './crc64Avro.js';

describe('crc64Avro', () => {
  it('leaves the EMPTY constant of the specification for no bytes', () => {
    assert.equal(crc64Avro(new Uint8Array()), 0xc15d213aa4d7a795n);
  });

  it('writes fingerprints as 8 little-endian bytes', () => {
    assert.deepEqual([...fingerprintBytes(0x0102030405060708n)], [8, 7, 6, 5, 4, 3, 2, 1]);
    assert.equal(fingerprintHex(0x0102030405060708n), '0807060504030201');
  });
});
