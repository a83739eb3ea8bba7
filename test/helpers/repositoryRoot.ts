import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository: the folder holding infra/kafka, found upwards from this compiled file (dist/ or a helper's output folder). */
export function repositoryRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'infra', 'kafka', 'start.sh'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('infra/kafka/start.sh not found above the test helpers');
    dir = parent;
  }
}
