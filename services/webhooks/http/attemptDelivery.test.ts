import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WaError } from '../../shared/index.js';
import { classifyResponse } from '../retry/index.js';
import { attemptDelivery, deliveryAgents, destroyDeliveryAgents, type DeliveryRequest } from './attemptDelivery.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real loopback server that records every connection and request it gets. */
class Receiver {
  readonly received: Received[] = [];
  readonly sockets: Socket[] = [];
  private readonly server: Server;

  constructor(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
    const listener: RequestListener = (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        handler(req, res, body);
      });
    };
    this.server = createServer(listener);
    this.server.on('connection', (socket) => this.sockets.push(socket));
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${this.port}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Resolves once the server side of a connection is closed (a reset included): the client dropped it. */
const closed = (socket: Socket): Promise<void> => (socket.closed ? Promise.resolve() : new Promise((resolve) => socket.on('close', () => resolve())));

const request = (url: string, fields: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
  url,
  body: '{"event":"message.received"}',
  headers: { 'webhook-id': 'evt_1', 'webhook-timestamp': '1750000000', 'webhook-signature': 'v1,abc=' },
  timeoutMs: 5_000,
  allowPrivate: true,
  ...fields,
});

describe('attemptDelivery: one POST to a real endpoint', () => {
  const endless = { written: 0 };
  const receiver = new Receiver((req, res) => {
    switch (req.url) {
      case '/ok':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
        break;
      case '/gone':
        res.writeHead(410).end();
        break;
      case '/busy':
        res.writeHead(500, { 'retry-after': '7' }).end(`try later ${'x'.repeat(1_000)}`);
        break;
      case '/unavailable':
        res.writeHead(503, { 'retry-after': new Date(Date.now() + 120_000).toUTCString() }).end();
        break;
      case '/moved':
        res.writeHead(302, { location: '/ok' }).end();
        break;
      case '/endless': {
        // Writes until the client hangs up: only the cap can end this response.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(16_384, 'y');
        const pump = (): void => {
          while (!res.destroyed && res.write(chunk)) endless.written += chunk.length;
        };
        res.on('drain', pump);
        pump();
        break;
      }
      case '/headers-only':
        res.writeHead(200);
        res.flushHeaders();
        break;
      case '/silent':
        break;
      default:
        res.writeHead(404).end();
    }
  });
  let base: string;

  before(async () => {
    base = await receiver.start();
  });
  after(() => receiver.stop());

  it('POSTs the body as JSON with the given headers and our user agent, and reports a 200', async () => {
    const outcome = await attemptDelivery(request(`${base}/ok`, { headers: { 'Webhook-Id': 'evt_1', 'content-type': 'text/plain', 'webhook-signature': 'v1,abc=' } }));
    assert.deepEqual({ ...outcome, latencyMs: 0 }, { status: 200, latencyMs: 0, retryAfterSeconds: null, error: null, errorKind: null, responseExcerpt: 'thanks' });
    assert.ok(outcome.latencyMs >= 0 && outcome.latencyMs < 5_000);
    const seen = receiver.received.at(-1)!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.body, '{"event":"message.received"}');
    assert.equal(seen.headers['content-type'], 'application/json');
    assert.equal(seen.headers['user-agent'], 'wa-backbone-webhooks');
    assert.equal(seen.headers['webhook-id'], 'evt_1');
    assert.equal(seen.headers['webhook-signature'], 'v1,abc=');
    assert.equal(classifyResponse(outcome.status, outcome.errorKind), 'delivered');
  });

  it('reports a 410, which is gone', async () => {
    const outcome = await attemptDelivery(request(`${base}/gone`));
    assert.equal(outcome.status, 410);
    assert.equal(outcome.error, null);
    assert.equal(outcome.responseExcerpt, null);
    assert.equal(classifyResponse(outcome.status, outcome.errorKind), 'gone');
  });

  it('reports a 500 with its Retry-After in seconds and a short excerpt of the body', async () => {
    const outcome = await attemptDelivery(request(`${base}/busy`));
    assert.equal(outcome.status, 500);
    assert.equal(outcome.retryAfterSeconds, 7);
    assert.equal(outcome.error, null);
    assert.equal(outcome.responseExcerpt, `try later ${'x'.repeat(246)}`);
    assert.equal(classifyResponse(outcome.status, outcome.errorKind), 'retry');
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    const outcome = await attemptDelivery(request(`${base}/unavailable`));
    assert.equal(outcome.status, 503);
    assert.ok(outcome.retryAfterSeconds !== null && outcome.retryAfterSeconds >= 118 && outcome.retryAfterSeconds <= 120, String(outcome.retryAfterSeconds));
  });

  it('follows no redirect: the 302 is the outcome and its target is never asked', async () => {
    const before = receiver.received.length;
    const outcome = await attemptDelivery(request(`${base}/moved`));
    assert.equal(outcome.status, 302);
    assert.equal(outcome.error, 'redirect not followed (302)');
    assert.equal(outcome.errorKind, 'redirect');
    assert.deepEqual(receiver.received.slice(before).map((r) => r.url), ['/moved']);
    assert.equal(classifyResponse(outcome.status, outcome.errorKind), 'retry');
  });

  it('reads an endless response only up to the cap, then drops the connection', async () => {
    const sockets = receiver.sockets.length;
    const outcome = await attemptDelivery(request(`${base}/endless`, { maxResponseBytes: 1_024 }));
    assert.equal(outcome.status, 200);
    assert.equal(outcome.error, null);
    assert.equal(outcome.responseExcerpt, 'y'.repeat(256));
    await closed(receiver.sockets[sockets]!);
    assert.ok(endless.written < 64 * 1024 * 1024, String(endless.written));
  });

  it('times out an endpoint that never answers, and hangs up on it', async () => {
    const sockets = receiver.sockets.length;
    const received = receiver.received.length;
    const outcome = await attemptDelivery(request(`${base}/silent`, { timeoutMs: 300 }));
    assert.deepEqual({ ...outcome, latencyMs: 0 }, { status: null, latencyMs: 0, retryAfterSeconds: null, error: 'timeout', errorKind: 'timeout', responseExcerpt: null });
    assert.ok(outcome.latencyMs >= 290, String(outcome.latencyMs));
    assert.equal(receiver.received.length, received + 1, 'the request did arrive');
    await closed(receiver.sockets[sockets]!);
    assert.equal(classifyResponse(outcome.status, outcome.errorKind), 'retry');
  });

  it('keeps the status of a 2xx whose body never comes: the endpoint accepted it', async () => {
    const outcome = await attemptDelivery(request(`${base}/headers-only`, { timeoutMs: 300 }));
    assert.equal(outcome.status, 200);
    assert.equal(outcome.errorKind, 'timeout');
    assert.equal(classifyResponse(outcome.status, outcome.errorKind), 'delivered');
  });

  it('reports a refused connection (a closed port)', async () => {
    const spare = new Receiver(() => undefined);
    const url = await spare.start();
    await spare.stop();
    const outcome = await attemptDelivery(request(`${url}/ok`));
    assert.deepEqual({ ...outcome, latencyMs: 0 }, { status: null, latencyMs: 0, retryAfterSeconds: null, error: 'connection refused', errorKind: 'refused', responseExcerpt: null });
  });

  it('reports a TLS failure (https to a plain HTTP server) without throwing', async () => {
    const outcome = await attemptDelivery(request(`${base.replace('http:', 'https:')}/ok`));
    assert.equal(outcome.status, null);
    assert.equal(outcome.errorKind, 'tls', String(outcome.error));
  });

  it('throws only for a URL that is not http(s)', async () => {
    for (const url of ['ftp://example.com/hook', 'file:///etc/passwd', 'not a url']) {
      await assert.rejects(attemptDelivery(request(url)), (error: unknown) => error instanceof WaError && error.code === 'INVALID_ARGUMENT' && error.field === 'url', url);
    }
  });
});

describe('attemptDelivery: private targets refused unless allowed', () => {
  const receiver = new Receiver((_req, res) => res.writeHead(200).end());
  let base: string;

  before(async () => {
    base = await receiver.start();
  });
  after(() => receiver.stop());

  it('refuses loopback, as a literal or a name resolving to it, before any connection reaches the server', async () => {
    for (const url of [`${base}/ok`, `http://localhost:${receiver.port}/ok`, `http://[::1]:${receiver.port}/ok`, `http://[::ffff:127.0.0.1]:${receiver.port}/ok`, `http://2130706433:${receiver.port}/ok`]) {
      const outcome = await attemptDelivery(request(url, { allowPrivate: false }));
      assert.deepEqual({ ...outcome, latencyMs: 0 }, { status: null, latencyMs: 0, retryAfterSeconds: null, error: 'private address refused', errorKind: 'private-address', responseExcerpt: null }, url);
    }
    assert.equal(receiver.sockets.length, 0);
  });

  it('lets the same target through when allowed', async () => {
    assert.equal((await attemptDelivery(request(`http://localhost:${receiver.port}/ok`, { allowPrivate: true }))).status, 200);
    assert.equal(receiver.sockets.length, 1);
  });
});

describe('attemptDelivery: the response excerpt', () => {
  const text = `${'é'.repeat(100)}${'😀'.repeat(100)}`;
  const receiver = new Receiver((_req, res) => res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(text));
  let base: string;

  before(async () => {
    base = await receiver.start();
  });
  after(() => receiver.stop());

  it('is at most 256 characters and never ends in half a character', async () => {
    const outcome = await attemptDelivery(request(`${base}/`));
    assert.equal(outcome.status, 400);
    assert.equal(outcome.responseExcerpt, `${'é'.repeat(100)}${'😀'.repeat(78)}`);
  });
});

describe('attemptDelivery: keep-alive pools', () => {
  const receiver = new Receiver((req, res) => {
    if (req.url === '/endless') {
      res.writeHead(200);
      res.write(Buffer.alloc(4_096, 'z'));
      return;
    }
    res.writeHead(200).end('ok');
  });
  const agents = deliveryAgents();
  let base: string;

  before(async () => {
    base = await receiver.start();
  });
  after(async () => {
    destroyDeliveryAgents(agents);
    await receiver.stop();
  });

  it('reuses one connection for deliveries one after the other', async () => {
    const before = receiver.sockets.length;
    for (let i = 0; i < 5; i += 1) assert.equal((await attemptDelivery(request(`${base}/ok`, { agents }))).status, 200);
    assert.equal(receiver.sockets.length - before, 1);
  });

  it('drops, not pools, a connection whose response was cut at the cap', async () => {
    const outcome = await attemptDelivery(request(`${base}/endless`, { agents, maxResponseBytes: 100 }));
    assert.equal(outcome.status, 200);
    // The only connection so far carried the cut response: it is closed, and the next delivery opens another.
    const cut = receiver.sockets.at(-1)!;
    await closed(cut);
    const before = receiver.sockets.length;
    assert.equal((await attemptDelivery(request(`${base}/ok`, { agents }))).status, 200);
    assert.equal(receiver.sockets.length - before, 1);
  });

  it('still refuses a private target by name through a pool', async () => {
    const before = receiver.sockets.length;
    const outcome = await attemptDelivery(request(`http://localhost:${receiver.port}/ok`, { agents, allowPrivate: false }));
    assert.equal(outcome.errorKind, 'private-address');
    assert.equal(receiver.sockets.length, before);
  });
});

/**
 * A raw endpoint that answers the first request of each connection with a keep-alive 200, then
 * hangs up on every later request of that connection without answering: what a server that
 * closed an idle connection just as the next request arrived looks like to the client.
 */
class HangUpAfterFirst {
  connections = 0;
  requests = 0;
  private readonly server = createTcpServer((socket) => {
    this.connections += 1;
    let served = 0;
    socket.on('data', (chunk: Buffer) => {
      for (const _ of chunk.toString('latin1').matchAll(/\r\n\r\n/g)) {
        this.requests += 1;
        served += 1;
        if (served === 1 && this.answerFirst) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
        else socket.destroy();
      }
    });
  });

  constructor(private readonly answerFirst = true) {}

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('attemptDelivery: a pooled connection the endpoint closed', () => {
  it('is sent again once on a new connection, and the new answer is the outcome', async () => {
    const endpoint = new HangUpAfterFirst();
    const base = await endpoint.start();
    const agents = deliveryAgents();
    try {
      assert.equal((await attemptDelivery(request(`${base}/hook`, { agents }))).status, 200);
      const second = await attemptDelivery(request(`${base}/hook`, { agents }));
      assert.equal(second.status, 200, JSON.stringify(second));
      assert.deepEqual({ connections: endpoint.connections, requests: endpoint.requests }, { connections: 2, requests: 3 });
    } finally {
      destroyDeliveryAgents(agents);
      await endpoint.stop();
    }
  });

  it('is not sent again when the connection was new: the failure is the outcome', async () => {
    const endpoint = new HangUpAfterFirst(false);
    const base = await endpoint.start();
    const agents = deliveryAgents();
    try {
      const outcome = await attemptDelivery(request(`${base}/hook`, { agents }));
      assert.deepEqual({ status: outcome.status, errorKind: outcome.errorKind }, { status: null, errorKind: 'network' });
      assert.deepEqual({ connections: endpoint.connections, requests: endpoint.requests }, { connections: 1, requests: 1 });
    } finally {
      destroyDeliveryAgents(agents);
      await endpoint.stop();
    }
  });
});
