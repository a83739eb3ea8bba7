import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WaError } from '../WaError.js';
import { fetchPublic } from './fetchPublic.js';

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const isCode = (code: string) => (error: unknown) => error instanceof WaError && error.code === code && error.field === 'media';

describe('fetchPublic: media a client gave as a URL', () => {
  let server: Server;
  let base: string;
  const file = Buffer.alloc(10_000, 7);

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/file.png') {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': file.length });
        res.end(file);
      } else if (req.url === '/unsized') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(file);
      } else if (req.url === '/moved') {
        res.writeHead(302, { location: '/file.png' });
        res.end();
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('streams the body with its mimetype when the target is allowed', async () => {
    const { stream, mimetype, size } = await fetchPublic(`${base}/file.png`, { allowPrivate: true, maxBytes: 1_000_000, field: 'media' });
    assert.equal(mimetype, 'image/png');
    assert.equal(size, file.length);
    assert.deepEqual(await readAll(stream), file);
  });

  it('refuses a private target unless allowed: literal addresses and names that resolve to one', async () => {
    await assert.rejects(fetchPublic(`${base}/file.png`, { allowPrivate: false, maxBytes: 1_000_000, field: 'media' }), isCode('INVALID_ARGUMENT'));
    const port = (server.address() as AddressInfo).port;
    await assert.rejects(fetchPublic(`http://localhost.:${port}/file.png`, { allowPrivate: false, maxBytes: 1_000_000, field: 'media' }), isCode('INVALID_ARGUMENT'));
  });

  it('follows no redirect, and a missing file is a 400', async () => {
    await assert.rejects(fetchPublic(`${base}/moved`, { allowPrivate: true, maxBytes: 1_000_000, field: 'media' }), /redirects/);
    await assert.rejects(fetchPublic(`${base}/missing`, { allowPrivate: true, maxBytes: 1_000_000, field: 'media' }), isCode('INVALID_ARGUMENT'));
  });

  it('caps the size: by the declared length at once, by counting otherwise', async () => {
    await assert.rejects(fetchPublic(`${base}/file.png`, { allowPrivate: true, maxBytes: 1_000, field: 'media' }), isCode('PAYLOAD_TOO_LARGE'));
    const { stream } = await fetchPublic(`${base}/unsized`, { allowPrivate: true, maxBytes: 1_000, field: 'media' });
    await assert.rejects(readAll(stream), isCode('PAYLOAD_TOO_LARGE'));
  });
});
