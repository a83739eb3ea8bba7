import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the server does with a WebSocket it accepted. */
export type FakeWaMode =
  /** Completes the upgrade, then ends the TCP connection (Baileys sees 428 connection closed). */
  | 'close'
  /** Completes the upgrade and keeps the connection, answering nothing (a WhatsApp that never replies to the hello). */
  | 'hold';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE_CLOSE = 0x8;

/**
 * A stand-in for WhatsApp's WebSocket endpoint, for tests "up to the socket": it speaks just
 * enough RFC 6455 (the upgrade, reading client frames, the close handshake) to accept, hold,
 * drop or refuse Baileys' connections. It never speaks WhatsApp's Noise protocol.
 */
export class FakeWaServer {
  /** Upgrades accepted so far. */
  connections = 0;
  /** Binary frames received (Baileys' client hello is the first on each connection). */
  framesReceived = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    public mode: FakeWaMode,
  ) {}

  /** Listens on a free local port. */
  static async start(mode: FakeWaMode): Promise<FakeWaServer> {
    const server = createServer((_request, response) => response.writeHead(426).end());
    const fake = new FakeWaServer(server, mode);
    server.on('upgrade', (request, socket: Socket) => fake.accept(request.headers['sec-websocket-key'], socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** A local URL where nothing listens: connections are refused. */
  static async refusingUrl(): Promise<string> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return `ws://127.0.0.1:${port}/ws/chat`;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/ws/chat`;
  }

  /** Connections currently open. */
  get open(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(key: string | string[] | undefined, socket: Socket): void {
    if (typeof key !== 'string') {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    this.connections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (this.mode === 'close') {
      socket.end();
      return;
    }
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const frame = readFrame(pending);
        if (!frame) return;
        pending = pending.subarray(frame.size);
        if (frame.opcode === OPCODE_CLOSE) {
          // Answer the close handshake (empty close frame), then hang up.
          socket.end(Buffer.from([0x80 | OPCODE_CLOSE, 0]));
          return;
        }
        this.framesReceived += 1;
      }
    });
  }
}

/** The opcode and total size of the first complete client frame in `buffer`, if there is one. */
function readFrame(buffer: Buffer): { opcode: number; size: number } | null {
  if (buffer.length < 2) return null;
  const opcode = buffer[0]! & 0x0f;
  const masked = (buffer[1]! & 0x80) !== 0;
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return null;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return null;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const size = offset + (masked ? 4 : 0) + length;
  return buffer.length < size ? null : { opcode, size };
}
