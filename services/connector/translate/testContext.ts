// Test support for the translator's specifications (not exported from index.ts).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { AvroCodec } from '../../../schemas/index.js';
import { ENVELOPE_SCHEMA, type DraftEvent, type EventSource } from '../events/index.js';
import { createLidDirectory, type SealedSecret, type TranslateContext } from './TranslateContext.js';

let sharedCodec: AvroCodec | null = null;

/** The project's codec, loaded once per test process. */
export function testCodec(): AvroCodec {
  sharedCodec ??= AvroCodec.load();
  return sharedCodec;
}

export const ACCOUNT = 'acc-1';
export const NOW = 1_732_000_000_000;

export interface TestContextOptions {
  meJid?: string | null;
  meLid?: string | null;
  source?: EventSource;
  causationId?: string | null;
  mappings?: Array<readonly [lid: string, pn: string]>;
  now?: number;
}

/** A TranslateContext with a fixed clock and real AES-256-GCM sealing under a random test key. */
export function testContext(options: TestContextOptions = {}): TranslateContext & { unseal(sealed: SealedSecret, aad: string): Buffer } {
  const key = randomBytes(32);
  return {
    accountId: ACCOUNT,
    meJid: options.meJid === undefined ? '919000000001@s.whatsapp.net' : options.meJid,
    meLid: options.meLid === undefined ? '100000000000001@lid' : options.meLid,
    meName: 'Me',
    now: () => options.now ?? NOW,
    ...(options.source ? { source: options.source } : {}),
    causationId: options.causationId ?? null,
    lids: createLidDirectory(options.mappings ?? []),
    session: { connectionId: 'conn-1', qrAttempt: 0, state: 'UNKNOWN' },
    sealSecret(plain, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
      return { keyId: 'test-key-1', iv, authTag: cipher.getAuthTag(), ciphertext };
    },
    unseal(sealed, aad) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(sealed.authTag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
    },
    codec: testCodec(),
  };
}

/** Encodes a draft through its topic's envelope schema, as the writer will (throws when invalid). */
export function encodeEvent(event: DraftEvent): Buffer {
  return testCodec().encode(ENVELOPE_SCHEMA[event.topic], {
    eventId: event.eventId,
    type: event.type,
    accountId: ACCOUNT,
    chatJid: event.chatJid,
    sequence: 1,
    occurredAt: event.occurredAt,
    recordedAt: 0,
    correlationId: 'c',
    causationId: event.causationId,
    source: event.source,
    driver: 'baileys',
    data: event.data,
  });
}

/** Every event encoded; fails the test with the event type when one does not encode. */
export function encodeAll(events: readonly DraftEvent[]): Buffer[] {
  return events.map((event) => {
    try {
      return encodeEvent(event);
    } catch (error) {
      assert.fail(`${event.type} does not encode: ${(error as Error).message}`);
    }
  });
}

/** The data record of an event (the single branch of its `data` union). */
export function dataOf<T = Record<string, unknown>>(event: DraftEvent | undefined): T {
  assert.ok(event, 'expected an event');
  const values = Object.values(event.data);
  assert.equal(values.length, 1);
  return values[0] as T;
}

/** The single branch value of a wrapped union (`{ 'wa.conversation.TextContent': {...} }`). */
export function branchOf<T = Record<string, unknown>>(union: unknown, name: string): T {
  assert.ok(typeof union === 'object' && union !== null, `expected a ${name} union`);
  assert.deepEqual(Object.keys(union), [name]);
  return (union as Record<string, T>)[name] as T;
}

/** Asserts none of the secrets appears in the encoded events, raw, hex or base64. */
export function assertNoSecrets(encoded: readonly Buffer[], secrets: readonly Uint8Array[]): void {
  for (const secret of secrets) {
    const raw = Buffer.from(secret);
    const forms = [raw, Buffer.from(raw.toString('hex')), Buffer.from(raw.toString('base64')), Buffer.from(raw.toString('base64url'))];
    for (const bytes of encoded) {
      for (const form of forms) assert.equal(bytes.indexOf(form), -1, `secret ${raw.toString('hex').slice(0, 8)}… found in an encoded event`);
    }
  }
}
