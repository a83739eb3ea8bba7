import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptedStream, makeWASocket, proto, type AuthenticationCreds, type UserFacingSocketConfig, type WASocket } from '@whiskeysockets/baileys';
import { AvroCodec } from '../../../../schemas/index.js';
import { createLogger, WaError } from '../../../shared/index.js';
import type { OutgoingRecord } from '../../../shared/kafka/index.js';
import { SecretBox } from '../../../shared/secrets/index.js';
import { waitFor } from '../../../../test/helpers/waitFor.js';
import { AccountSessionState } from '../../sessionState/index.js';
import type { BaileysEventBatch, OpenSessionOptions, SessionLifecycleEvent, WaSession } from '../Driver.js';
import { BaileysDriver, type BaileysDriverOptions } from './index.js';
import { FakeWaServer } from './testing/FakeWaServer.js';

const codec = AvroCodec.load();
const box = new SecretBox(Buffer.alloc(32, 3));
const silent = createLogger('test', 'silent');
const PHONE = '14155550123';
// Short and without jitter, so the delays are exact.
const reconnect = { backoff: { initialMs: 100, maxMs: 400, factor: 2, jitter: 0 }, maxBadSessions: 3 };

interface Scheduled {
  delayMs: number;
  run: () => void;
  cancelled: boolean;
}

interface Harness {
  session: WaSession;
  state: AccountSessionState;
  log: OutgoingRecord[];
  lifecycle: SessionLifecycleEvent[];
  batches: BaileysEventBatch[];
  scheduled: Scheduled[];
  sockets: WASocket[];
  configs: UserFacingSocketConfig[];
  pairingCodes: string[];
}

const servers: FakeWaServer[] = [];
const sessions: WaSession[] = [];
after(async () => {
  await Promise.all(sessions.map((session) => session.close('shutdown')));
  await Promise.all(servers.map((server) => server.stop()));
});

async function fakeServer(mode: 'close' | 'hold'): Promise<FakeWaServer> {
  const server = await FakeWaServer.start(mode);
  servers.push(server);
  return server;
}

async function openSession(
  url: string,
  options: {
    link?: OpenSessionOptions['link'];
    creds?: (creds: AuthenticationCreds) => void;
    handler?: Partial<OpenSessionOptions['handler']>;
    driver?: Partial<BaileysDriverOptions>;
  } = {},
): Promise<Harness> {
  const h = { log: [], lifecycle: [], batches: [], scheduled: [], sockets: [], configs: [], pairingCodes: [] } as unknown as Harness;
  h.state = new AccountSessionState({
    accountId: 'acct-1',
    box,
    codec,
    partitions: 12,
    persist: async (records) => {
      h.log.push(...records);
    },
    epoch: () => 1,
    now: Date.now,
  });
  const auth = h.state.auth();
  options.creds?.(auth.state.creds);
  const driver = new BaileysDriver({
    waWebSocketUrl: url,
    reconnect,
    random: () => 0,
    // Reconnects wait for the test to run them: no sleeping, and a cancelled one is visible.
    schedule: (delayMs, run) => {
      const entry: Scheduled = { delayMs, run, cancelled: false };
      h.scheduled.push(entry);
      return () => {
        entry.cancelled = true;
      };
    },
    makeSocket: (config) => {
      h.configs.push(config);
      const sock = makeWASocket(config);
      h.sockets.push(sock);
      return sock;
    },
    // Baileys leaves its hello timer running after a close; a short one lets the test process exit soon.
    socketConfig: { connectTimeoutMs: 5_000 },
    onPairingCode: (_accountId, code) => {
      h.pairingCodes.push(code);
    },
    drainTimeoutMs: 5_000,
    ...options.driver,
  });
  h.session = await driver.open({
    accountId: 'acct-1',
    auth,
    logger: silent,
    link: options.link ?? { method: 'QR' },
    handler: {
      onEvents: options.handler?.onEvents ?? (async (batch) => void h.batches.push(batch)),
      onLifecycle: options.handler?.onLifecycle ?? (async (event) => void h.lifecycle.push(event)),
    },
  });
  sessions.push(h.session);
  return h;
}

/** Baileys' close errors are Boom errors: the status code sits in `output.statusCode`. */
function closeError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { output: { statusCode } });
}

function isWaError(code: string) {
  return (error: unknown) => error instanceof WaError && error.code === code;
}

describe('BaileysDriver against a local WebSocket server', () => {
  it('reconnects with growing, capped delays while the server drops every connection, and stops on close()', async () => {
    const server = await fakeServer('close');
    const h = await openSession(server.url);
    for (let attempt = 1; attempt <= 5; attempt++) {
      await waitFor(() => h.lifecycle.length === attempt && h.scheduled.length === attempt, `reconnect decision ${attempt}`);
      assert.equal(server.connections, attempt);
      assert.equal(h.scheduled[attempt - 1]!.delayMs, [100, 200, 400, 400, 400][attempt - 1]);
      if (attempt < 5) h.scheduled[attempt - 1]!.run();
    }
    assert.deepEqual(
      h.lifecycle.map((e) => (e.kind === 'reconnecting' ? [e.attempt, e.delayMs, e.statusCode, e.reason] : e.kind)),
      [
        [1, 100, 428, 'CONNECTION_CLOSED'],
        [2, 200, 428, 'CONNECTION_CLOSED'],
        [3, 400, 428, 'CONNECTION_CLOSED'],
        [4, 400, 428, 'CONNECTION_CLOSED'],
        [5, 400, 428, 'CONNECTION_CLOSED'],
      ],
    );
    // The handler saw Baileys' own connection updates too.
    assert.ok(h.batches.some((b) => b['connection.update']?.connection === 'close'));
    assert.equal(h.session.isConnected(), false);

    await h.session.close('requested');
    assert.equal(h.scheduled[4]!.cancelled, true);
    h.scheduled[4]!.run(); // a timer that fires anyway opens nothing
    assert.equal(h.sockets.length, 5);
    assert.equal(h.lifecycle.length, 5);
    await h.session.close('requested'); // idempotent
  });

  it('reconnects with backoff when the connection is refused', async () => {
    const h = await openSession(await FakeWaServer.refusingUrl());
    await waitFor(() => h.scheduled.length === 1, 'first reconnect decision');
    h.scheduled[0]!.run();
    await waitFor(() => h.scheduled.length === 2, 'second reconnect decision');
    assert.deepEqual(
      h.lifecycle.map((e) => (e.kind === 'reconnecting' ? [e.attempt, e.delayMs, e.statusCode, e.reason] : e.kind)),
      [
        [1, 100, 408, 'TIMED_OUT'],
        [2, 200, 408, 'TIMED_OUT'],
      ],
    );
    await h.session.close('shutdown');
    assert.equal(h.scheduled[1]!.cancelled, true);
  });

  it('acts on each kind of close the way decideOnClose says', async () => {
    const server = await fakeServer('hold');
    const cases: Array<{ statusCode: number; message: string; expect: (h: Harness) => void }> = [
      {
        statusCode: 515,
        message: 'Stream Errored (restart required)',
        expect: (h) => {
          assert.deepEqual(h.lifecycle, [{ kind: 'reconnecting', attempt: 1, delayMs: 0, reason: 'RESTART_REQUIRED', statusCode: 515 }]);
          assert.equal(h.scheduled.length, 1);
        },
      },
      {
        statusCode: 401,
        message: 'Stream Errored (conflict)',
        expect: (h) => assert.deepEqual(h.lifecycle, [{ kind: 'logged-out', reason: 'LOGGED_OUT', statusCode: 401 }]),
      },
      {
        statusCode: 403,
        message: 'Connection Failure',
        expect: (h) => assert.deepEqual(h.lifecycle, [{ kind: 'logged-out', reason: 'FORBIDDEN', statusCode: 403 }]),
      },
      {
        statusCode: 440,
        message: 'Stream Errored (conflict)',
        expect: (h) => assert.deepEqual(h.lifecycle, [{ kind: 'replaced', statusCode: 440 }]),
      },
      {
        statusCode: 408,
        message: 'QR refs attempts ended',
        expect: (h) => assert.deepEqual(h.lifecycle, [{ kind: 'qr-exhausted' }]),
      },
    ];
    for (const c of cases) {
      const h = await openSession(server.url);
      await waitFor(() => server.framesReceived > 0 && h.sockets.length === 1, 'client hello');
      await h.sockets[0]!.end(closeError(c.statusCode, c.message));
      await waitFor(() => h.lifecycle.length === 1, `decision for ${c.statusCode}`);
      c.expect(h);
      if (c.statusCode !== 515) assert.equal(h.scheduled.length, 0, `no reconnect after ${c.statusCode}`);
      await h.session.close('requested');
      server.framesReceived = 0;
    }
  });

  it('retries a bad session, then reports it logged out', async () => {
    const server = await fakeServer('hold');
    const h = await openSession(server.url);
    for (let i = 0; i < 3; i++) {
      await waitFor(() => h.sockets.length === i + 1 && server.open === 1, `socket ${i + 1} open`);
      await h.sockets[i]!.end(closeError(500, 'Stream Errored (unknown)'));
      await waitFor(() => h.lifecycle.length === i + 1, `decision ${i + 1}`);
      if (i < 2) h.scheduled[i]!.run();
    }
    assert.deepEqual(
      h.lifecycle.map((e) => [e.kind, 'reason' in e ? e.reason : null]),
      [
        ['reconnecting', 'BAD_SESSION'],
        ['reconnecting', 'BAD_SESSION'],
        ['logged-out', 'BAD_SESSION'],
      ],
    );
    assert.equal(h.scheduled.length, 2);
  });

  it('requests a pairing code once the first QR shows, once per socket, and saves the credentials Baileys changed', async () => {
    const server = await fakeServer('hold');
    const h = await openSession(server.url, { link: { method: 'PAIRING_CODE', phoneNumber: PHONE } });
    await waitFor(() => server.framesReceived > 0, 'client hello');
    assert.equal(h.pairingCodes.length, 0, 'no code before WhatsApp is ready to pair');

    // WhatsApp's pair-device stanza cannot be faked without the Noise handshake: emit the QR Baileys would.
    h.sockets[0]!.ev.emit('connection.update', { qr: '2@ref,noise,identity,adv,1' });
    await waitFor(() => h.pairingCodes.length === 1, 'pairing code');
    const [code] = h.pairingCodes;
    assert.match(code!, /^[A-Z0-9]{8}$/);
    assert.equal(await h.session.requestPairingCode(PHONE), code, 'asking again returns the same code');
    await waitFor(() => h.log.some((r) => r.key === 'acct-1/creds/creds'), 'credentials persisted');
    await waitFor(() => h.batches.some((b) => b['connection.update']?.qr), 'QR batch handed over');
    const creds = h.state.auth().state.creds;
    assert.equal(creds.me?.id, `${PHONE}@s.whatsapp.net`);
    assert.equal(h.state.isRegistered(), false, 'a requested code is not a link');
    await waitFor(() => server.framesReceived === 2, 'the pairing request on the wire');

    await h.session.close('requested');
    assert.deepEqual(h.lifecycle, []);
  });

  it('refuses or fails pairing requests clearly instead of crashing', async () => {
    const server = await fakeServer('hold');
    const h = await openSession(server.url);
    await assert.rejects(h.session.requestPairingCode('+1 415'), isWaError('INVALID_ARGUMENT'));
    assert.throws(() => h.session.socket(), isWaError('UNAVAILABLE'));
    // Asked before WhatsApp is ready: waits for the QR, and the socket closes first.
    const pending = h.session.requestPairingCode(PHONE).then(
      () => assert.fail('no code without a QR'),
      (error: unknown) => error,
    );
    await waitFor(() => server.framesReceived > 0, 'client hello');
    await h.session.close('requested');
    assert.ok(isWaError('UNAVAILABLE')(await pending));
    await assert.rejects(h.session.requestPairingCode(PHONE), isWaError('UNAVAILABLE'));

    const linked = await openSession(server.url, {
      creds: (creds) => {
        creds.me = { id: `${PHONE}:2@s.whatsapp.net` };
        creds.account = { details: Buffer.from('d') };
      },
    });
    await assert.rejects(linked.session.requestPairingCode(PHONE), isWaError('CONFLICT'));
    await linked.session.close('requested');

    const driver = new BaileysDriver({ waWebSocketUrl: server.url });
    await assert.rejects(
      driver.open({ accountId: 'a', auth: h.state.auth(), logger: silent, link: { method: 'PAIRING_CODE', phoneNumber: 'abc' }, handler: { onEvents: async () => {}, onLifecycle: async () => {} } }),
      isWaError('INVALID_ARGUMENT'),
    );
  });

  it('logs in with linked credentials, and registers afresh when a pairing code was never entered', async () => {
    const server = await fakeServer('hold');
    const linked = await openSession(server.url, {
      creds: (creds) => {
        creds.me = { id: `${PHONE}:2@s.whatsapp.net` };
        creds.account = { details: Buffer.from('d') };
      },
    });
    assert.equal(linked.configs[0]!.auth.creds.me?.id, `${PHONE}:2@s.whatsapp.net`);
    await linked.session.close('requested');

    const abandoned = await openSession(server.url, {
      creds: (creds) => {
        creds.me = { id: `${PHONE}@s.whatsapp.net`, name: '~' };
        creds.pairingCode = 'ABCD1234';
      },
    });
    assert.equal(abandoned.configs[0]!.auth.creds.me, undefined);
    assert.equal(abandoned.configs[0]!.auth.creds.pairingCode, undefined);
    // The driver's own settings.
    const config = abandoned.configs[0]!;
    assert.equal(config.emitOwnEvents, false);
    assert.equal(config.markOnlineOnConnect, false);
    assert.equal(config.syncFullHistory, true);
    assert.equal(config.waWebSocketUrl, server.url);
    await abandoned.session.close('requested');
  });

  it('hands batches over one at a time, saving credentials before the handler sees them', async () => {
    const server = await fakeServer('hold');
    let release!: () => void;
    const started: string[] = [];
    const h = await openSession(server.url, {
      handler: {
        onEvents: async (batch) => {
          const name = Object.keys(batch).join(',');
          started.push(name);
          if (batch['creds.update']) assert.ok(h.log.some((r) => r.key === 'acct-1/creds/creds'), 'credentials saved first');
          if (batch['contacts.upsert']?.[0]?.id === 'first@s.whatsapp.net') await new Promise<void>((resolve) => (release = resolve));
        },
      },
    });
    await waitFor(() => server.framesReceived > 0, 'client hello');
    const ev = h.sockets[0]!.ev;
    ev.emit('contacts.upsert', [{ id: 'first@s.whatsapp.net' }]);
    ev.emit('creds.update', { accountSyncCounter: 1 });
    await waitFor(() => started.includes('contacts.upsert'), 'first batch started');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(started.filter((s) => s !== 'connection.update'), ['contacts.upsert'], 'the second batch waits for the first');
    release();
    await waitFor(() => started.includes('creds.update'), 'second batch');
    await h.session.close('requested');
  });

  it('close() returns once the batches received before it were handled, the close included', async () => {
    const server = await fakeServer('hold');
    let release!: () => void;
    const handled: string[] = [];
    const h = await openSession(server.url, {
      handler: {
        onEvents: async (batch) => {
          if (batch['contacts.upsert']) await new Promise<void>((resolve) => (release = resolve));
          handled.push(batch['connection.update']?.connection ?? Object.keys(batch).join(','));
        },
      },
    });
    await waitFor(() => server.framesReceived > 0, 'client hello');
    h.sockets[0]!.ev.emit('contacts.upsert', [{ id: 'slow@s.whatsapp.net' }]);
    let closed = false;
    const closing = h.session.close('rebalanced').then(() => (closed = true));
    await waitFor(() => release !== undefined, 'slow batch started');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(closed, false, 'close waits for the batch in progress');
    release();
    await closing;
    assert.deepEqual(handled, ['connecting', 'contacts.upsert', 'close']);
    assert.deepEqual(h.lifecycle, []);
  });

  it('logout() while not connected ends the socket without reconnecting or reporting', async () => {
    const server = await fakeServer('hold');
    const h = await openSession(server.url);
    await waitFor(() => server.framesReceived > 0, 'client hello');
    await h.session.logout();
    assert.ok(h.batches.some((b) => b['connection.update']?.connection === 'close'));
    assert.deepEqual(h.lifecycle, []);
    assert.equal(h.scheduled.length, 0);
    await h.session.logout();
  });

  it('lets a handler close the session from inside a callback without waiting for itself', async () => {
    const server = await fakeServer('close');
    let closing: Promise<void> | undefined;
    const h: { session?: WaSession } = {};
    const opened = await openSession(server.url, {
      handler: {
        onLifecycle: async () => {
          closing = h.session!.close('requested');
          await closing;
        },
      },
    });
    h.session = opened.session;
    await waitFor(() => closing !== undefined, 'lifecycle callback');
    const started = Date.now();
    await closing;
    // Waiting for itself would last the whole drain timeout (5 s here).
    assert.ok(Date.now() - started < 2_500, `close() from inside the callback took ${Date.now() - started} ms`);
    assert.equal(opened.scheduled.length, 0, 'closed before the reconnect was scheduled');
  });
});

describe('BaileysSession.downloadMedia', () => {
  let media: Server;
  const files = new Map<string, Buffer>();
  const base = async (): Promise<string> => {
    if (!media) {
      media = createServer((request, response) => {
        const file = files.get(request.url ?? '');
        if (file) response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file);
        else response.writeHead(404).end();
      });
      await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
    }
    return `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
  };
  after(() => media?.close());

  function imageMessage(url: string, mediaKey: Buffer): proto.IWebMessageInfo {
    return {
      key: { remoteJid: '14155550001@s.whatsapp.net', id: '3EB0ABC', fromMe: false },
      message: { imageMessage: { url, mediaKey, mimetype: 'image/jpeg' } },
    };
  }

  it('streams decrypted media', async () => {
    const plain = Buffer.from('a JPEG, as far as this test knows '.repeat(100));
    const encrypted = await encryptedStream(plain, 'image', { logger: silent });
    files.set('/m/1.enc', await readFile(encrypted.encFilePath));
    await rm(encrypted.encFilePath, { force: true });
    const server = await fakeServer('hold');
    const { session } = await openSession(server.url);
    const stream = await session.downloadMedia(imageMessage(`${await base()}/m/1.enc`, encrypted.mediaKey) as never);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), plain);
    await session.close('requested');
  });

  it('says NOT_FOUND without media, and UNAVAILABLE when expired media needs a connected session', async () => {
    const server = await fakeServer('hold');
    const { session } = await openSession(server.url);
    const text = { key: { remoteJid: '1@s.whatsapp.net', id: 'X', fromMe: false }, message: { conversation: 'hi' } };
    await assert.rejects(session.downloadMedia(text as never), isWaError('NOT_FOUND'));
    await assert.rejects(session.downloadMedia({ key: text.key } as never), isWaError('NOT_FOUND'));
    const expired = imageMessage(`${await base()}/m/gone.enc`, Buffer.alloc(32, 1));
    await assert.rejects(session.downloadMedia(expired as never), (error: unknown) => isWaError('UNAVAILABLE')(error) && (error as WaError).retriable);
    await session.close('requested');
  });
});
