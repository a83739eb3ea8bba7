import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { signWebhook } from './signWebhook.js';

// The repository root: the nearest folder above this file with the README.
function repositoryRoot(): string {
  for (let dir = fileURLToPath(new URL('.', import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'README.md')) && existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error('no README.md above the test');
}

/** The receiver example of the README's Webhooks section, as a module exporting `verify`. */
function readmeVerifier(): string {
  const readme = readFileSync(join(repositoryRoot(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('Verifying a delivery in a receiver'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('the README has no receiver example');
  return `${code}\nexport { verify };\n`;
}

describe('the README\'s receiver example', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readme-verifier-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts what the dispatcher signs and refuses a changed body, a wrong secret and a stale timestamp', async () => {
    const file = join(dir, 'verify.mjs');
    writeFileSync(file, readmeVerifier());
    const { verify } = (await import(pathToFileURL(file).href)) as { verify: (secret: string, headers: Record<string, string>, body: string) => unknown };
    const secret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
    const body = JSON.stringify({ event: 'message.received', eventId: 'evt-1', data: { text: 'olá' } });
    const headers = signWebhook({ id: 'evt-1', timestamp: Math.floor(Date.now() / 1000), body, secret });
    assert.deepEqual(verify(secret, headers, body), JSON.parse(body));
    // A second signature in the header (key rotation) is accepted too.
    assert.ok(verify(secret, { ...headers, 'webhook-signature': `v1,AAAA ${headers['webhook-signature']}` }, body));
    assert.throws(() => verify(secret, headers, body.replace('olá', 'ola')), /bad signature/);
    assert.throws(() => verify(`whsec_${Buffer.from('another key, sixteen+ bytes').toString('base64')}`, headers, body), /bad signature/);
    const stale = signWebhook({ id: 'evt-1', timestamp: Math.floor(Date.now() / 1000) - 3_600, body, secret });
    assert.throws(() => verify(secret, stale, body), /stale/);
  });
});
