import { open, readFile, rm } from 'node:fs/promises';
import { WaError } from '../../services/shared/index.js';

/** True when a process with that id runs (on this machine). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<path>` as this process's lock file; a lock left by a process that is gone is taken
 * over. PGlite opens a directory from two processes without complaint, and each would then
 * overwrite the other's files: this is what stops the second one.
 */
export async function lockDirectory(path: string, what: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new WaError('UNAVAILABLE', `${what} is in use by process ${owner}; PGlite serves one process (set DATABASE_URL to share the read models)`, {
          retriable: false,
          details: { lockFile: path, pid: owner },
        });
      }
      await rm(path, { force: true });
    }
  }
  throw new WaError('UNAVAILABLE', `could not lock ${what} (${path})`, { retriable: true });
}
