import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectorSuite } from '../../projections/runner/testing/index.js';
import { PgliteStore } from '../../projections/store/index.js';

// PGlite keeps its files in a folder per store, so a "restarted" projector reopens the same database.
projectorSuite(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wa-projector-'));
  return {
    engine: 'pglite',
    open: (name, schema) => PgliteStore.open({ dataDir: join(dir, name), schema: schema ?? 'read_models' }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
