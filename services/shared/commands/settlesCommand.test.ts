import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settlesCommand } from './settlesCommand.js';

describe('settlesCommand: which results answer a command for good', () => {
  it('a success, a failure and a final refusal settle it', () => {
    assert.equal(settlesCommand({ status: 'SUCCEEDED', error: null }), true);
    assert.equal(settlesCommand({ status: 'FAILED', error: { retriable: false } }), true);
    assert.equal(settlesCommand({ status: 'REJECTED', error: { retriable: false } }), true);
  });

  it('a failure that was tried settles it even when retriable: WhatsApp may have acted on it', () => {
    assert.equal(settlesCommand({ status: 'FAILED', error: { retriable: true } }), true);
  });

  it('a command that never started does not: expired, or refused before any side effect with a retriable error', () => {
    assert.equal(settlesCommand({ status: 'EXPIRED', error: { retriable: false } }), false);
    assert.equal(settlesCommand({ status: 'REJECTED', error: { retriable: true } }), false);
  });
});
