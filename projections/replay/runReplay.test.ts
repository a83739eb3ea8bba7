import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { READ_MODEL_NAMES } from './rebuildUnit.js';
import { formatProgress, parseReplayArgs } from './runReplay.js';

describe('replay progress', () => {
  it('shows events done of total, the rate and the time left', () => {
    assert.equal(formatProgress({ phase: 'rebuilding', done: 12_345, total: 1_000_000, ratePerSecond: 2_300, etaMs: 430_000 }), 'rebuilding 12,345 / 1,000,000 events (2.3k events/s, 7m10s left)');
    assert.equal(formatProgress({ phase: 'done', done: 10, total: 10, ratePerSecond: 5, etaMs: 0 }), 'done 10 / 10 events (5 events/s)');
    assert.equal(formatProgress({ phase: 'rebuilding', done: 0, total: 10, ratePerSecond: 0, etaMs: null }), 'rebuilding 0 / 10 events (0 events/s)');
  });
});

describe('replay arguments', () => {
  it('rebuilds everything without arguments, one read model with --model', () => {
    assert.deepEqual(parseReplayArgs([]), { model: null });
    assert.deepEqual(parseReplayArgs(['--model', 'contacts']), { model: 'contacts' });
    assert.deepEqual(parseReplayArgs(['--model=groups']), { model: 'groups' });
  });

  it('refuses an unknown read model, naming the ones there are', () => {
    const parsed = parseReplayArgs(['--model', 'chat']);
    assert.ok('error' in parsed);
    assert.match(parsed.error, /unknown read model "chat"/);
    for (const name of READ_MODEL_NAMES) assert.ok(parsed.error.includes(name), name);
  });

  it('refuses a missing name, a second --model and anything else', () => {
    for (const args of [['--model'], ['--model='], ['--model', 'chats', '--model', 'labels'], ['chats'], ['--all']]) {
      assert.ok('error' in parseReplayArgs(args), args.join(' '));
    }
  });
});
