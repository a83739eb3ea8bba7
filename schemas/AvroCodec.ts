import type { Type } from 'avsc';
import { CodecError } from './CodecError.js';
import { compileSchema } from './compileSchema.js';
import type { CompiledSchema } from './compileSchema.js';
import { defaultHistoryDir, defaultSchemasDir } from './defaultSchemasDir.js';
import { readHistory } from './readHistory.js';
import type { HistoricalSchema } from './readHistory.js';
import { SchemaRegistry } from './SchemaRegistry.js';

/** A decoded record: the writer schema it was written with, and its value. */
export interface Decoded<T = unknown> {
  /** Full name of the writer schema. */
  readonly schemaName: string;
  /** Hex of the writer schema's 8 little-endian fingerprint bytes. */
  readonly fingerprint: string;
  readonly value: T;
}

/** A writer schema as published on `wa.schemas.v1` (key = fingerprint, value = schema). */
export interface WriterSchema {
  readonly name: string;
  readonly fingerprint: string;
  /** Self-contained schema as compact JSON text. */
  readonly schema: string;
}

export interface AvroCodecOptions {
  /** Folder of the `.avsc` files; default: the project's `schemas/`. */
  readonly schemasDir?: string;
  /** Folder of released versions; default: `<schemasDir>/history`. */
  readonly historyDir?: string;
}

type Resolver = ReturnType<Type['createResolver']>;

interface Writer {
  readonly compiled: CompiledSchema;
  readonly low: number;
  readonly high: number;
  /** `C3 01` + fingerprint, copied in front of every body. */
  readonly header: Buffer;
  /** Resolvers to read this writer's records as a reader, by reader name; a string is why not. */
  readonly resolvers: Map<string, Resolver | string>;
}

const HEADER_SIZE = 10;
const MAGIC_0 = 0xc3;
const MAGIC_1 = 0x01;
const SCRATCH_SIZE = 64 * 1024;
// Extra fields are refused rather than silently dropped: they are nearly always a typo.
const VALIDATION = { noUndeclaredFields: true } as const;

/**
 * Avro single-object encoding (`C3 01` + 8-byte little-endian CRC-64-AVRO fingerprint + body)
 * for the project's schemas. Encodes with the current schemas; decodes records written by any
 * known writer schema: a current one, a released version from `schemas/history/`, or one
 * registered at run time (e.g. learned from `wa.schemas.v1`).
 */
export class AvroCodec {
  readonly registry: SchemaRegistry;
  private readonly current = new Map<string, Writer>();
  /** Writers by the low 32 bits of their fingerprint, to look up without allocating. */
  private readonly byLow = new Map<number, Writer[]>();
  private readonly history: readonly HistoricalSchema[];
  private scratch = Buffer.allocUnsafe(SCRATCH_SIZE);

  /** Builds a codec from loaded schemas and their released versions. */
  constructor(registry: SchemaRegistry, history: readonly HistoricalSchema[] = []) {
    this.registry = registry;
    this.history = history;
    for (const name of registry.names()) this.current.set(name, this.add(registry.compile(name)));
    for (const version of history) this.add(version.compiled);
  }

  /** Loads the schemas folder and its history (defaults: the project's `schemas/`). */
  static load(options: AvroCodecOptions = {}): AvroCodec {
    const schemasDir = options.schemasDir ?? defaultSchemasDir();
    return new AvroCodec(SchemaRegistry.load(schemasDir), readHistory(options.historyDir ?? defaultHistoryDir(schemasDir)));
  }

  /** Encodes a value with the current schema of that full name; refuses invalid values. */
  encode(schemaName: string, value: unknown): Buffer {
    const writer = this.current.get(schemaName) ?? this.notFound(schemaName);
    const type = writer.compiled.type;
    if (!type.isValid(value, VALIDATION)) throw invalidValue(writer.compiled, value);
    let end = type.encode(value, this.scratch, HEADER_SIZE);
    while (end < 0) {
      // avsc reports how many bytes were missing; grow and write again.
      this.scratch = Buffer.allocUnsafe(Math.max(2 * this.scratch.length, this.scratch.length - end));
      end = type.encode(value, this.scratch, HEADER_SIZE);
    }
    const record = Buffer.allocUnsafe(end);
    writer.header.copy(record, 0);
    this.scratch.copy(record, HEADER_SIZE, HEADER_SIZE, end);
    if (this.scratch.length > 16 * SCRATCH_SIZE) this.scratch = Buffer.allocUnsafe(SCRATCH_SIZE);
    return record;
  }

  /** The plain Avro binary encoding of a value (no single-object header), e.g. for content digests. */
  encodeBody(schemaName: string, value: unknown): Buffer {
    return this.encode(schemaName, value).subarray(HEADER_SIZE);
  }

  /**
   * Decodes a single-object encoded record. With a reader name, the value is resolved into
   * that current schema (defaults filled in, promotions applied); without one, it has the
   * writer's shape. Bytes and fixed values are views into `bytes`, not copies.
   */
  decode<T = unknown>(bytes: Uint8Array, readerName?: string): Decoded<T> {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if ((buf.length > 0 && buf[0] !== MAGIC_0) || (buf.length > 1 && buf[1] !== MAGIC_1)) {
      throw new CodecError('BAD_MAGIC', `not a single-object encoded Avro record: starts with ${buf.toString('hex', 0, 2)}, not c301`);
    }
    if (buf.length < HEADER_SIZE) {
      throw new CodecError('CORRUPT_RECORD', `record of ${buf.length} bytes is shorter than the ${HEADER_SIZE}-byte single-object header`, { truncated: true });
    }
    const low = buf.readUInt32LE(2);
    const high = buf.readUInt32LE(6);
    let writer: Writer | undefined;
    for (const candidate of this.byLow.get(low) ?? []) if (candidate.high === high) writer = candidate;
    if (writer === undefined) {
      throw new CodecError(
        'UNKNOWN_FINGERPRINT',
        `unknown writer schema fingerprint ${buf.toString('hex', 2, HEADER_SIZE)}: not a current, recorded or registered schema`,
      );
    }

    let type = writer.compiled.type;
    let resolver: Resolver | undefined;
    if (readerName !== undefined) {
      const reader = this.current.get(readerName) ?? this.notFound(readerName);
      if (reader !== writer) {
        resolver = this.resolver(writer, reader);
        type = reader.compiled.type;
      }
    }

    let result: { value: unknown; offset: number };
    try {
      result = type.decode(buf, HEADER_SIZE, resolver);
    } catch (error) {
      throw new CodecError('CORRUPT_RECORD', `${writer.compiled.name} record has a corrupt body: ${(error as Error).message}`, { cause: error });
    }
    if (result.offset < 0) {
      throw new CodecError('CORRUPT_RECORD', `${writer.compiled.name} record is truncated (${buf.length} bytes)`, { truncated: true });
    }
    if (result.offset !== buf.length) {
      throw new CodecError('CORRUPT_RECORD', `${writer.compiled.name} record has ${buf.length - result.offset} unexpected trailing bytes`);
    }
    return { schemaName: writer.compiled.name, fingerprint: writer.compiled.fingerprintHex, value: result.value as T };
  }

  /** Hex of the 8 little-endian fingerprint bytes of a current schema (the `wa.schemas.v1` key). */
  fingerprintOf(schemaName: string): string {
    return (this.current.get(schemaName) ?? this.notFound(schemaName)).compiled.fingerprintHex;
  }

  /**
   * The writer schemas to publish on `wa.schemas.v1`: the current version of each named schema
   * (default: the top-level ones) and every released version of them.
   */
  writerSchemas(names: readonly string[] = this.registry.listTopLevel()): WriterSchema[] {
    const seen = new Set<string>();
    const result: WriterSchema[] = [];
    const push = (compiled: CompiledSchema): void => {
      if (seen.has(compiled.fingerprintHex)) return;
      seen.add(compiled.fingerprintHex);
      result.push({ name: compiled.name, fingerprint: compiled.fingerprintHex, schema: compiled.json });
    };
    for (const name of names) push((this.current.get(name) ?? this.notFound(name)).compiled);
    for (const version of this.history) if (names.includes(version.name)) push(version.compiled);
    return result;
  }

  /**
   * Makes a writer schema known for decoding, e.g. one read from `wa.schemas.v1`. When the
   * record key is given as `expectedFingerprint`, a schema that does not match it is refused.
   */
  register(schema: string | object, expectedFingerprint?: string): WriterSchema {
    const compiled = compileSchema(schema, 'registered schema');
    if (expectedFingerprint !== undefined && expectedFingerprint.toLowerCase() !== compiled.fingerprintHex) {
      throw new CodecError(
        'INVALID_SCHEMA',
        `registered schema ${compiled.name} has fingerprint ${compiled.fingerprintHex}, not ${expectedFingerprint}`,
      );
    }
    const writer = this.add(compiled);
    return { name: writer.compiled.name, fingerprint: writer.compiled.fingerprintHex, schema: writer.compiled.json };
  }

  /** True when records written with that fingerprint (hex of the 8 LE bytes) can be decoded. */
  knows(fingerprint: string): boolean {
    if (!/^[0-9a-fA-F]{16}$/.test(fingerprint)) return false;
    const bytes = Buffer.from(fingerprint, 'hex');
    return (this.byLow.get(bytes.readUInt32LE(0)) ?? []).some((w) => w.high === bytes.readUInt32LE(4));
  }

  private add(compiled: CompiledSchema): Writer {
    const header = Buffer.alloc(HEADER_SIZE);
    header[0] = MAGIC_0;
    header[1] = MAGIC_1;
    header.write(compiled.fingerprintHex, 2, 'hex');
    const low = header.readUInt32LE(2);
    const high = header.readUInt32LE(6);
    const sameLow = this.byLow.get(low) ?? [];
    const existing = sameLow.find((w) => w.high === high);
    if (existing) return existing;
    const writer: Writer = { compiled, low, high, header, resolvers: new Map() };
    sameLow.push(writer);
    this.byLow.set(low, sameLow);
    return writer;
  }

  private resolver(writer: Writer, reader: Writer): Resolver {
    let resolver = writer.resolvers.get(reader.compiled.name);
    if (resolver === undefined) {
      try {
        resolver = reader.compiled.type.createResolver(writer.compiled.type);
      } catch (error) {
        resolver = (error as Error).message;
      }
      writer.resolvers.set(reader.compiled.name, resolver);
    }
    if (typeof resolver === 'string') {
      throw new CodecError(
        'INCOMPATIBLE_SCHEMA',
        `cannot read ${writer.compiled.name} (${writer.compiled.fingerprintHex}) as ${reader.compiled.name} ` +
          `(${reader.compiled.fingerprintHex}): ${resolver}`,
      );
    }
    return resolver;
  }

  private notFound(name: string): never {
    this.registry.compile(name); // throws SCHEMA_NOT_FOUND with suggestions
    throw new CodecError('SCHEMA_NOT_FOUND', `no schema named ${name}`);
  }
}

// Names the offending fields and what was expected, but never echoes values: they may be
// message text or keys, which must not reach logs.
function invalidValue(compiled: CompiledSchema, value: unknown): CodecError {
  const problems: string[] = [];
  compiled.type.isValid(value, {
    ...VALIDATION,
    errorHook: (path, found, type) => {
      const at = path.length > 0 ? path.join('.') : '<root>';
      const fields = (type as unknown as { fields?: ReadonlyArray<{ name: string }> }).fields;
      if (type.typeName === 'record' && fields && typeof found === 'object' && found !== null) {
        const declared = new Set(fields.map((f) => f.name));
        const extra = Object.keys(found).filter((key) => !declared.has(key));
        problems.push(`${at}: undeclared field(s) ${extra.join(', ')} for ${type.name}`);
      } else {
        problems.push(`${at}: expected ${describeType(type)}, got ${describeValue(found)}`);
      }
    },
  });
  return new CodecError('INVALID_VALUE', `invalid ${compiled.name} value: ${problems.join('; ') || 'rejected by the schema'}`);
}

function describeType(type: Type): string {
  const union = (type as unknown as { types?: readonly Type[] }).types;
  if (type.typeName.startsWith('union')) {
    const wrapped = type.typeName === 'union:wrapped' ? 'wrapped ' : '';
    return `${wrapped}union [${(union ?? []).map((t) => t.branchName ?? t.typeName).join(', ')}]`;
  }
  return type.name ? `${type.typeName} ${type.name}` : type.typeName;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'a non-integer number';
    if (!Number.isSafeInteger(value)) return 'an integer beyond 2^53';
    return value >= -(2 ** 31) && value < 2 ** 31 ? 'a 32-bit integer' : 'an integer beyond 32 bits';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
