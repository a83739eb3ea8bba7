import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EndpointLimiter } from './EndpointLimiter.js';

describe('EndpointLimiter', () => {
  it('runs at most `limit` calls per endpoint at once, in arrival order, and other endpoints freely', async () => {
    const limiter = new EndpointLimiter(2);
    const releases: (() => void)[] = [];
    const started: string[] = [];
    const call = (endpoint: string, name: string) =>
      limiter.run(endpoint, () => {
        started.push(name);
        return new Promise<string>((resolve) => releases.push(() => resolve(name)));
      });
    const results = [call('a', 'a1'), call('a', 'a2'), call('a', 'a3'), call('a', 'a4'), call('b', 'b1')];
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started, ['a1', 'a2', 'b1']);
    assert.equal(limiter.inFlight('a'), 2);
    releases[0]!();
    await results[0];
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started, ['a1', 'a2', 'b1', 'a3']);
    for (const release of releases.slice(1)) release();
    await results[1];
    await new Promise((resolve) => setImmediate(resolve));
    for (const release of releases.slice(3)) release();
    assert.deepEqual(await Promise.all(results), ['a1', 'a2', 'a3', 'a4', 'b1']);
    assert.equal(limiter.inFlight('a'), 0);
  });

  it('frees the slot when the call fails', async () => {
    const limiter = new EndpointLimiter(1);
    await assert.rejects(limiter.run('a', () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await limiter.run('a', () => Promise.resolve(7)), 7);
  });

  it('refuses a limit that is not a positive integer', () => {
    assert.throws(() => new EndpointLimiter(0), RangeError);
  });
});
