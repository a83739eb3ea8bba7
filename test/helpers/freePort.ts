import { createServer } from 'node:net';

/** Ports handed out: above the fixed test ports (19xxx), below the kernel's ephemeral range (32768 and up on Linux). */
const PORTS = { low: 20_000, high: 32_000 };

/**
 * A loopback TCP port free right now, for a server a test starts in another process. It is
 * drawn below the ephemeral range, so no outgoing connection takes it before that server listens.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = PORTS.low + Math.floor(Math.random() * (PORTS.high - PORTS.low));
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
