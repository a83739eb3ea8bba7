import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../logger.js';
import { WaError } from '../WaError.js';
import { callMethod } from './callMethod.js';
import { serveMethods } from './serveMethods.js';

/** A small service with the kinds of answer a served object gives: values, nothing, its own errors, a failure. */
class Counter {
  private value = 0;
  hidden = 'not served';

  async add(by: number, label: string | null): Promise<{ value: number; label: string | null }> {
    if (!Number.isInteger(by)) throw new WaError('INVALID_ARGUMENT', 'by must be a whole number', { field: 'by' });
    this.value += by;
    return { value: this.value, label };
  }

  async reset(): Promise<void> {
    this.value = 0;
  }

  async missing(): Promise<null> {
    return null;
  }

  async broken(): Promise<never> {
    throw new Error('the store fell over');
  }

  async secret(): Promise<string> {
    return 'not listed';
  }
}

describe('serveMethods and callMethod: an object served over loopback HTTP', () => {
  let server: Server;
  let base: string;
  const what = { what: 'the counter (test)' };

  before(async () => {
    server = await serveMethods({ target: new Counter(), methods: ['add', 'reset', 'missing', 'broken'], path: '/counter/', port: 0, logger: createLogger('test', 'silent'), what: 'counter' });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('calls the method with the arguments and answers its result (nothing as null), state kept on the served object', async () => {
    assert.deepEqual(await callMethod(base, '/counter/', 'add', [2, 'two'], what), { value: 2, label: 'two' });
    assert.deepEqual(await callMethod(base, '/counter/', 'add', [3, null], what), { value: 5, label: null });
    assert.equal(await callMethod(base, '/counter/', 'reset', [], what), null);
    assert.equal(await callMethod(base, '/counter/', 'missing', [], what), null);
    assert.deepEqual(await callMethod(base, '/counter/', 'add', [1, null], what), { value: 1, label: null }, 'reset ran on the served object');
  });

  it('keeps a 4xx error as it was thrown: same code, message and field', async () => {
    await assert.rejects(
      callMethod(base, '/counter/', 'add', [1.5, null], what),
      (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'by' && error.message === 'by must be a whole number',
    );
  });

  it('serves only the listed methods: others, inherited ones and other paths are 404', async () => {
    for (const method of ['secret', 'hidden', 'constructor', 'toString', '__proto__', '']) {
      await assert.rejects(callMethod(base, '/counter/', method, [], what), (error: unknown) => error instanceof WaError && error.code === 'NOT_FOUND', method);
    }
    await assert.rejects(callMethod(base, '/elsewhere/', 'add', [1, null], what), (error: unknown) => error instanceof WaError && error.code === 'NOT_FOUND');
    const get = await fetch(`${base}/counter/add`);
    assert.equal(get.status, 404, 'only POST calls');
    await get.body?.cancel();
  });

  it('refuses a body that is not a JSON array of arguments, naming the body', async () => {
    for (const body of ['{"by":1}', 'not json']) {
      const response = await fetch(`${base}/counter/add`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      assert.equal(response.status, 400);
      assert.deepEqual(await response.json(), { error: { code: 'INVALID_ARGUMENT', message: 'the body must be a JSON array of arguments', field: 'body' } });
    }
    const huge = await fetch(`${base}/counter/add`, { method: 'POST', body: JSON.stringify(['x'.repeat(70 * 1024)]) });
    assert.equal(huge.status, 413);
    await huge.body?.cancel();
  });

  it('a failure of the served side, or no server at all, is UNAVAILABLE (retriable) naming who did not answer', async () => {
    await assert.rejects(callMethod(base, '/counter/', 'broken', [], what), (error: unknown) => error instanceof WaError && error.code === 'UNAVAILABLE' && error.retriable);
    await assert.rejects(
      callMethod('http://127.0.0.1:9', '/counter/', 'add', [1, null], { ...what, timeoutMs: 2_000 }),
      (error: unknown) => error instanceof WaError && error.code === 'UNAVAILABLE' && error.message === 'the counter (test) cannot be reached',
    );
  });

  it('gives up after the timeout', async () => {
    const slow = await serveMethods({
      target: { wait: () => new Promise<void>((resolve) => setTimeout(resolve, 2_000)) },
      methods: ['wait'],
      path: '/slow/',
      port: 0,
      logger: createLogger('test', 'silent'),
      what: 'slow',
    });
    try {
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
      const started = Date.now();
      await assert.rejects(callMethod(url, '/slow/', 'wait', [], { what: 'slow', timeoutMs: 200 }), (error: unknown) => error instanceof WaError && error.code === 'UNAVAILABLE');
      assert.ok(Date.now() - started < 1_500, 'the call did not wait for the answer');
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });
});
