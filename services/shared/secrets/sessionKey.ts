import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { WaError } from '../WaError.js';

/**
 * The key that seals session state. Production requires SESSION_ENCRYPTION_KEY; elsewhere a
 * key is generated once into DATA_DIR so a development setup survives restarts.
 */
export async function sessionKey(config: Config, logger: Logger): Promise<Buffer> {
  if (config.sessionEncryptionKey) return config.sessionEncryptionKey;
  if (config.production) {
    throw new WaError('INVALID_CONFIG', 'SESSION_ENCRYPTION_KEY is required in production (32 bytes as 64 hex characters or base64): it encrypts WhatsApp credentials on Kafka', {
      field: 'SESSION_ENCRYPTION_KEY',
    });
  }
  const file = join(config.dataDir, 'connector', 'dev-session-key');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  } catch {
    await mkdir(join(config.dataDir, 'connector'), { recursive: true });
    const key = randomBytes(32);
    await writeFile(file, key.toString('hex'), { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
    await chmod(file, 0o600);
    logger.warn({ file }, 'SESSION_ENCRYPTION_KEY is not set: using a development key kept in DATA_DIR (set the variable in production)');
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'hex');
  }
}
