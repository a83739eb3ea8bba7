import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';
import { WaError } from '../../shared/index.js';
import type { ApiState } from '../http/index.js';

/**
 * The console page's policy: its script, styles and calls come from this origin only; no
 * inline script or style, no framing. `data:` images are the QR codes the API hands out as
 * data URLs.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const PAGE_PATHS: ReadonlySet<string> = new Set(['/console', '/console/']);
const ASSETS_PREFIX = '/console/assets/';
// Vite names its output `<name>-<hash>.<ext>`: one path segment, no traversal possible.
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;
const NOT_BUILT = 'The console is not built: run `make build` (it bundles console/ into dist/console with vite).\n';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type of a console file, by its extension. */
export function contentTypeOf(fileName: string): string {
  return CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** Where `make build` puts the bundled console: `dist/console` beside this build's `dist/services`. */
export function builtConsoleDir(): string {
  return fileURLToPath(new URL('../../../console/', import.meta.url));
}

/**
 * Serves the web console from `dir` (vite's output): `GET /console` the page, with its own
 * Content-Security-Policy, and `GET /console/assets/*` the hashed files, cached for a year.
 * No API key is needed: the files hold no data, and every call the page makes sends the key.
 * Nothing here is an API route, so none of it is in the OpenAPI document. Without a build the
 * page answers 404 saying how to make one.
 */
export function consoleFiles(options: { dir: string }): Middleware<ApiState> {
  const { dir } = options;
  const assetsDir = path.join(dir, 'assets');
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (PAGE_PATHS.has(ctx.path)) {
      const html = await readFile(path.join(dir, 'index.html')).catch(() => null);
      if (html === null) {
        ctx.status = 404;
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = NOT_BUILT;
        return;
      }
      ctx.set({ 'Content-Security-Policy': CONSOLE_CONTENT_SECURITY_POLICY, 'Cache-Control': 'no-cache' });
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = html;
      return;
    }
    if (!ctx.path.startsWith(ASSETS_PREFIX)) return next();
    const name = ctx.path.slice(ASSETS_PREFIX.length);
    const file = path.join(assetsDir, name);
    const found = ASSET_NAME.test(name) ? await stat(file).catch(() => null) : null;
    if (found === null || !found.isFile()) throw new WaError('NOT_FOUND', `no console file ${name.slice(0, 100)}`);
    // The names carry a content hash: a changed file is a new name, so the old one never changes.
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.type = contentTypeOf(name);
    if (ctx.method === 'HEAD') {
      // No stream is opened for a HEAD: Koa would never read (nor close) it.
      ctx.status = 200;
      ctx.length = found.size;
      return;
    }
    ctx.body = createReadStream(file);
    ctx.length = found.size;
  };
}
