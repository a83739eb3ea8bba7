// The webhooks benchmark's endpoint, run as a worker thread so answering requests does not
// take the dispatcher's event loop: a plain node:http server on loopback answering 200 at
// once (keep-alive), one path per subscription (`/hook/<endpoint>`). It reports what arrived
// (endpoint, webhook-id, when the body was in, as epoch ms with a fraction, and with
// `workerData.messageIds` the payload's `messageId`) in batches.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';

/** What the receiver thread tells the bench. */
export type ReceiverReport =
  | { kind: 'listening'; port: number }
  | { kind: 'arrivals'; endpoints: number[]; ids: string[]; at: number[]; messageIds: string[] }
  | { kind: 'flushed' }
  | { kind: 'closed' };

/** The thread's workerData: `messageIds` reads each body for its payload's `messageId`. */
export interface ReceiverOptions {
  messageIds?: boolean;
}

/** What the bench tells the receiver thread: send what arrived so far, or stop. */
export type ReceiverCommand = { kind: 'flush' } | { kind: 'close' };

/** Arrivals are sent in batches this often: one message per request would cost the bench more than the request. */
const FLUSH_MS = 10;

const port = parentPort;
if (port === null) throw new Error('webhookReceiverThread runs as a worker thread of the webhooks benchmark');

const readBodies = (workerData as ReceiverOptions | undefined)?.messageIds === true;
/** The WILDCAT message payload's `messageId`, without parsing the body (inside a JSON string its quotes would be escaped, so only the key matches). */
const MESSAGE_ID = /"messageId":"([^"]*)"/;

const nothingYet = (): Extract<ReceiverReport, { kind: 'arrivals' }> => ({ kind: 'arrivals', endpoints: [], ids: [], at: [], messageIds: [] });
let pending = nothingYet();
const flush = (): void => {
  if (pending.ids.length === 0) return;
  port.postMessage(pending);
  pending = nothingYet();
};

const server = createServer((request, response) => {
  const endpoint = Number(request.url?.slice(request.url.lastIndexOf('/') + 1));
  const id = request.headers['webhook-id'];
  const chunks: Buffer[] = [];
  if (readBodies) request.on('data', (chunk: Buffer) => chunks.push(chunk));
  else request.resume();
  request.on('end', () => {
    if (readBodies) pending.messageIds.push(MESSAGE_ID.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '');
    pending.endpoints.push(endpoint);
    pending.ids.push(typeof id === 'string' ? id : '');
    pending.at.push(performance.timeOrigin + performance.now());
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
server.keepAliveTimeout = 5_000;
const ticker = setInterval(flush, FLUSH_MS);

port.on('message', (command: ReceiverCommand) => {
  if (command.kind === 'flush') {
    flush();
    port.postMessage({ kind: 'flushed' } satisfies ReceiverReport);
    return;
  }
  clearInterval(ticker);
  server.closeAllConnections();
  server.close(() => {
    flush();
    port.postMessage({ kind: 'closed' } satisfies ReceiverReport);
    port.close();
  });
});

server.listen(0, '127.0.0.1', () => {
  port.postMessage({ kind: 'listening', port: (server.address() as AddressInfo).port } satisfies ReceiverReport);
});
