import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is served by the API at /console (services/api/console): assets under /console/assets/.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // One small bundle; no inline data: URLs (the page's policy allows scripts from 'self' only).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // A busy CI machine makes any plugin look slow: the timing report would only be noise.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
