/**
 * CRC-64-AVRO, the Rabin fingerprint of the Avro specification ("Schema Fingerprints").
 * Fingerprints are computed once per schema, never per record, so BigInt is fast enough.
 */

const EMPTY = 0xc15d213aa4d7a795n;

const TABLE: readonly bigint[] = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (fp & 1n ? EMPTY : 0n);
  return fp;
});

/** The CRC-64-AVRO fingerprint of some bytes, as an unsigned 64-bit BigInt. */
export function crc64Avro(bytes: Uint8Array): bigint {
  let fp = EMPTY;
  for (const byte of bytes) fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(byte)) & 0xffn)]!;
  return fp;
}

/** The 8 little-endian bytes of a fingerprint, the way single-object encoding writes them. */
export function fingerprintBytes(fingerprint: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, fingerprint));
  return bytes;
}

/** A fingerprint as hex of its 8 little-endian bytes: the key of `wa.schemas.v1` and what errors show. */
export function fingerprintHex(fingerprint: bigint): string {
  return fingerprintBytes(fingerprint).toString('hex');
}
