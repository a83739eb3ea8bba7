import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaError } from '../../shared/index.js';
import { checkPublicUrl, isPrivateHost } from './publicUrl.js';

const refused = (error: unknown): boolean => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'media';

describe('URLs the backbone may fetch', () => {
  it('accepts public http(s) URLs', () => {
    assert.equal(checkPublicUrl('https://cdn.example.com/a.jpg?x=1', 'media').href, 'https://cdn.example.com/a.jpg?x=1');
    assert.equal(checkPublicUrl('http://8.8.8.8/a.jpg', 'media').hostname, '8.8.8.8');
    assert.equal(checkPublicUrl('https://[2606:4700::1111]/a', 'media').hostname, '[2606:4700::1111]');
  });

  it('refuses other schemes, credentials and non-URLs', () => {
    for (const raw of ['ftp://example.com/a', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@example.com/', 'not a url', `https://example.com/${'a'.repeat(2_100)}`]) {
      assert.throws(() => checkPublicUrl(raw, 'media'), refused, raw);
    }
  });

  it('refuses loopback, private, link-local and localhost, in every spelling the URL parser accepts', () => {
    for (const raw of [
      'http://localhost/a',
      'http://LOCALHOST./a',
      'http://api.localhost/a',
      'http://127.0.0.1:8080/a',
      'http://2130706433/a',
      'http://0x7f.1/a',
      'http://10.0.0.5/a',
      'http://172.20.1.1/a',
      'http://192.168.1.1/a',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/a',
      'http://0.0.0.0/a',
      'http://[::1]/a',
      'http://[::]/a',
      'http://[::ffff:127.0.0.1]/a',
      'http://[fe80::1]/a',
      'http://[fd00::1]/a',
      'http://[64:ff9b::a00:1]/a',
    ]) {
      assert.throws(() => checkPublicUrl(raw, 'media'), refused, raw);
    }
  });

  it('lets private addresses through when allowed (tests, closed networks)', () => {
    assert.equal(checkPublicUrl('http://127.0.0.1:9/a', 'media', { allowPrivate: true }).port, '9');
  });

  it('judges literal hosts only: names are left to the fetcher, which resolves them', () => {
    assert.equal(isPrivateHost('internal.example'), false);
    assert.equal(isPrivateHost('[::ffff:808:808]'), false, 'a mapped public IPv4 is public');
  });
});
