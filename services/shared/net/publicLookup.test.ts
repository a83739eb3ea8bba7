import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { describe, it } from 'node:test';
import { WaError } from '../WaError.js';
import { publicLookup } from './publicLookup.js';

type Answer = { error: Error | null; address: string | LookupAddress[]; family?: number };

function resolve(hostname: string, all: boolean): Promise<Answer> {
  return new Promise((done) => {
    publicLookup('url')(hostname, { all }, ((error: Error | null, address: string | LookupAddress[], family?: number) => done({ error, address, family })) as never);
  });
}

describe('publicLookup: the DNS check on the address a socket connects to', () => {
  it('refuses a name that resolves to loopback, naming the field', async () => {
    for (const all of [false, true]) {
      const { error } = await resolve('localhost', all);
      assert.ok(error instanceof WaError, String(error));
      assert.equal(error.code, 'INVALID_ARGUMENT');
      assert.equal(error.field, 'url');
    }
  });

  it('answers a public address in the shape the caller asked for (one, or all)', async () => {
    assert.deepEqual(await resolve('8.8.8.8', false), { error: null, address: '8.8.8.8', family: 4 });
    assert.deepEqual(await resolve('8.8.8.8', true), { error: null, address: [{ address: '8.8.8.8', family: 4 }], family: undefined });
  });
});
