import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './logger.js';

/** Runs `write` with process.stdout captured; pino's synchronous destinations write through it. */
function captured(write: () => void): string {
  const chunks: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    write();
  } finally {
    process.stdout.write = original;
  }
  return chunks.join('');
}

describe('createLogger', () => {
  it('writes one JSON object per line with the role, and redacts message text, keys and secrets', () => {
    const out = captured(() => {
      const logger = createLogger('connector', 'info', 'json');
      logger.child({ accountId: 'acc-1', commandId: 'cmd-1' }).info({ text: 'hello there', apiKey: 'k-123', headers: { authorization: 'Bearer s3cret' } }, 'sent');
    });
    const line = JSON.parse(out.trim()) as Record<string, unknown>;
    assert.equal(line.role, 'connector');
    assert.equal(line.accountId, 'acc-1');
    assert.equal(line.commandId, 'cmd-1');
    assert.equal(line.msg, 'sent');
    assert.equal(line.text, '[redacted]');
    assert.equal(line.apiKey, '[redacted]');
    assert.deepEqual(line.headers, { authorization: '[redacted]' });
    assert.doesNotMatch(out, /hello there|k-123|s3cret/);
  });

  it('pretty: a line a person reads, with the level, message and fields, redacted the same way', () => {
    const out = captured(() => {
      const logger = createLogger('webhooks', 'info', 'pretty');
      logger.warn({ subscriptionId: 'sub-9', secret: 'whsec_abc' }, 'endpoint slow');
    });
    assert.doesNotMatch(out.split('\n')[0]!, /^\{/, 'not JSON');
    assert.match(out, /WARN/);
    assert.match(out, /endpoint slow/);
    assert.match(out, /sub-9/);
    assert.match(out, /role: "webhooks"/);
    assert.doesNotMatch(out, /whsec_abc/);
  });
});
