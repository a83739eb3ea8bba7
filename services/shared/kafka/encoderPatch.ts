import { createRequire } from 'node:module';

/** The parts of kafkajs' protocol Encoder (kafkajs/src/protocol/encoder.js, 2.2.4) the patch replaces. */
interface EncoderClass {
  nextPowerOfTwo(value: number): number;
  prototype: EncoderInstance;
}

interface EncoderInstance {
  buf: Buffer;
  offset: number;
  ensureAvailable(length: number): void;
  writeUVarInt(value: number): EncoderInstance;
}

/** The Encoder's default initial size: every `new Encoder()` of kafkajs 2.2.4 asks for it (a 512-byte buffer). */
const DEFAULT_INITIAL_SIZE = 511;
/** The smallest buffer a first write gets: a header or a small record fits without growing again. */
const FIRST_BUFFER = 64;

// The same module instance kafkajs requires internally (CommonJS cache), so its encoders change too.
const Encoder = createRequire(import.meta.url)('kafkajs/src/protocol/encoder') as EncoderClass;
const original = {
  nextPowerOfTwo: Encoder.nextPowerOfTwo,
  ensureAvailable: Encoder.prototype.ensureAvailable,
  writeUVarInt: Encoder.prototype.writeUVarInt,
};

/** The smallest power of two above `value`, as the original computes it. */
function powerOfTwoAbove(value: number): number {
  return 1 << (31 - Math.clz32(value) + 1);
}

const patched = {
  // Only the constructor asks for the default size (ensureAvailable below no longer calls this):
  // an encoder starts empty instead of with 512 zero-filled bytes.
  nextPowerOfTwo(this: EncoderClass, value: number): number {
    return value === DEFAULT_INITIAL_SIZE ? 0 : original.nextPowerOfTwo.call(this, value);
  },
  // Uninitialised memory (pooled below 4 KB) is safe: every write lands at `offset` after this
  // call, and only bytes below `offset` are ever read (`buffer`, `size()`, the copy here).
  ensureAvailable(this: EncoderInstance, length: number): void {
    const needed = this.offset + length;
    if (needed <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(FIRST_BUFFER, powerOfTwoAbove(needed)));
    this.buf.copy(grown, 0, 0, this.offset);
    this.buf = grown;
  },
  // The same LEB128 bytes, written in place instead of through an array and a Buffer each.
  writeUVarInt(this: EncoderInstance, value: number): EncoderInstance {
    let size = 1;
    for (let rest = value; (rest & 0xffffff80) !== 0; rest >>>= 7) size += 1;
    this.ensureAvailable(size);
    const buf = this.buf;
    let offset = this.offset;
    while ((value & 0xffffff80) !== 0) {
      buf[offset++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buf[offset++] = value & 0x7f;
    this.offset = offset;
    return this;
  },
};

/**
 * Makes kafkajs' record encoding cheaper without changing a byte it writes: encoders start
 * without a buffer and grow into uninitialised ones, and varints are written in place. kafkajs
 * 2.2.4 is pinned; encoderPatch.test.ts compares whole produce requests with and without it.
 */
export function patchKafkaEncoder(on = true): void {
  const use = on ? patched : original;
  Encoder.nextPowerOfTwo = use.nextPowerOfTwo;
  Encoder.prototype.ensureAvailable = use.ensureAvailable;
  Encoder.prototype.writeUVarInt = use.writeUVarInt;
}
