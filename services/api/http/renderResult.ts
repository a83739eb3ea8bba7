import type { ParameterizedContext } from 'koa';
import type { Logger } from '../../shared/index.js';
import type { ApiState } from './ApiState.js';
import { acceptedBody, layoutOf, successBody } from './envelope.js';
import type { AnyRoute, EventStreamResult, RouteResult } from './route.js';

export interface RenderOptions {
  /** Comment lines on an idle event stream keep proxies from closing it. */
  heartbeatMs: number;
  logger: Logger;
}

/** Writes a handler's result to the response in the envelope of the route's surface, laid out as the route documents it. */
export async function renderResult(ctx: ParameterizedContext<ApiState>, route: Pick<AnyRoute, 'surface' | 'responses'>, result: RouteResult, options: RenderOptions): Promise<void> {
  const surface = route.surface;
  switch (result.kind) {
    case 'json': {
      const status = result.status ?? 200;
      ctx.status = status;
      setHeaders(ctx, result.headers);
      ctx.body = successBody(surface, layoutOf(surface, route.responses[status]), result.body);
      return;
    }
    case 'stream':
      ctx.status = result.status ?? 200;
      setHeaders(ctx, result.headers);
      ctx.body = result.stream;
      ctx.type = result.contentType;
      // Set after the body: Koa drops a length set before a stream body replaces another one.
      if (result.contentLength !== undefined) ctx.length = result.contentLength;
      return;
    case 'accepted':
      ctx.status = 202;
      ctx.set('Location', `/commands/${encodeURIComponent(result.commandId)}`);
      ctx.body = acceptedBody(surface, result.commandId);
      return;
    case 'html':
      ctx.status = result.status ?? 200;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = result.html;
      return;
    case 'event-stream':
      return streamEvents(ctx, result, options);
    default:
      return unknownResult(result);
  }
}

function setHeaders(ctx: ParameterizedContext<ApiState>, headers: Record<string, string> | undefined): void {
  for (const [name, value] of Object.entries(headers ?? {})) ctx.set(name, value);
}

const EVENT_STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  // nginx and friends buffer responses unless told otherwise.
  'X-Accel-Buffering': 'no',
};

/**
 * Server-Sent Events: the response is handed to the handler's writer unbuffered, comment lines
 * keep it alive, and everything stops when the client goes away (the request's signal).
 */
async function streamEvents(ctx: ParameterizedContext<ApiState>, result: EventStreamResult, options: RenderOptions): Promise<void> {
  ctx.status = 200;
  if (ctx.method === 'HEAD') {
    ctx.set(EVENT_STREAM_HEADERS);
    ctx.body = null;
    return;
  }
  const { res } = ctx;
  const signal = ctx.state.signal;
  ctx.respond = false;
  res.writeHead(200, EVENT_STREAM_HEADERS);
  res.flushHeaders();
  ctx.req.socket.setNoDelay(true);
  const write = (chunk: string): Promise<void> =>
    new Promise<void>((resolve) => {
      if (signal.aborted || res.writableEnded) return resolve();
      if (res.write(chunk)) return resolve();
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });
  const heartbeat = setInterval(() => {
    if (!res.writableNeedDrain && !res.writableEnded) res.write(': heartbeat\n\n');
  }, options.heartbeatMs);
  try {
    await result.run(write, signal);
  } catch (error) {
    if (!signal.aborted) options.logger.warn({ err: error, requestId: ctx.state.requestId }, 'event stream failed');
  } finally {
    clearInterval(heartbeat);
    if (!res.writableEnded) res.end();
  }
}

function unknownResult(result: never): never {
  throw new Error(`unknown route result ${JSON.stringify(result)}`);
}
