import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Boom } from '@hapi/boom';
import { initAuthCreds, proto, toBuffer, type AuthenticationCreds, type WAMessage } from '@whiskeysockets/baileys';
import { createSimulator, type Simulator } from '../../../simulator/index.js';
import { createLogger, WaError } from '../../../shared/index.js';
import { waitFor } from '../../../../test/helpers/waitFor.js';
import type { BaileysEventBatch, OpenSessionOptions, SessionLifecycleEvent, WaSession } from '../Driver.js';
import { SimulatorDriver } from './index.js';

const logger = createLogger('test', (process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'silent');
const reconnect = { backoff: { initialMs: 50, maxMs: 200, factor: 2, jitter: 0 }, maxBadSessions: 3 };

interface Harness {
  session: WaSession;
  creds: AuthenticationCreds;
  saved: AuthenticationCreds[];
  batches: BaileysEventBatch[];
  lifecycle: SessionLifecycleEvent[];
  /** When set, onEvents rejects batches it matches (then records nothing). */
  reject: ((batch: BaileysEventBatch) => boolean) | null;
  /** When set, runs inside onEvents after the batch is recorded. */
  hook: ((batch: BaileysEventBatch) => Promise<void>) | null;
}

let dir: string;
let simulator: Simulator;
let port = 0;
const sessions: WaSession[] = [];
let accounts = 0;

async function startSimulator(): Promise<void> {
  simulator = await createSimulator({
    dataDir: dir,
    port,
    host: '127.0.0.1',
    logger,
    visibilityTimeoutMs: 400,
    qr: { count: 3, firstMs: 150, nextMs: 100 },
    historyChunkSize: 1_000,
  });
  port = simulator.port;
}

function driver(): SimulatorDriver {
  return new SimulatorDriver({ baseUrl: simulator.url, logger, reconnect, pollWaitMs: 1_000, random: () => 0.5 });
}

async function open(accountId: string, creds: AuthenticationCreds = initAuthCreds(), link: OpenSessionOptions['link'] = { method: 'QR' }): Promise<Harness> {
  const harness: Harness = { creds, saved: [], batches: [], lifecycle: [], reject: null, hook: null } as unknown as Harness;
  harness.session = await driver().open({
    accountId,
    logger,
    link,
    auth: {
      state: { creds, keys: { get: async () => ({}), set: async () => undefined } },
      saveCreds: async () => {
        harness.saved.push(structuredClone(creds));
      },
    },
    handler: {
      onEvents: async (batch) => {
        if (harness.reject?.(batch)) throw new Error('handler refused the batch');
        harness.batches.push(batch);
        await harness.hook?.(batch);
      },
      onLifecycle: async (event) => {
        harness.lifecycle.push(event);
      },
    },
  });
  sessions.push(harness.session);
  return harness;
}

async function control(method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(`${simulator.url}${route}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function ok(route: string, body: unknown): Promise<Record<string, any>> {
  const reply = await control('POST', route, body);
  assert.equal(reply.status, 200, `${route}: ${JSON.stringify(reply.body)}`);
  return reply.body;
}

function upserts(harness: Harness): WAMessage[] {
  return harness.batches.flatMap((batch) => batch['messages.upsert']?.messages ?? []);
}

function connectionUpdates(harness: Harness): Array<BaileysEventBatch['connection.update']> {
  return harness.batches.map((batch) => batch['connection.update']).filter((update) => update !== undefined);
}

async function upserted(harness: Harness, id: string): Promise<WAMessage> {
  return waitFor(() => upserts(harness).find((m) => m.key.id === id), `message ${id} upserted`, { timeoutMs: 10_000 });
}

/** A new account, QR shown, then linked by the phone; resolves once the session is open. */
async function linkedAccount(phone: string, extra: Record<string, unknown> = {}): Promise<{ accountId: string; harness: Harness }> {
  const accountId = `acct-${(accounts += 1)}`;
  const harness = await open(accountId);
  await waitFor(() => connectionUpdates(harness).some((u) => u?.qr), 'a QR code', { timeoutMs: 10_000 });
  await ok('/sim/link', { accountId, phone, ...extra });
  await waitFor(() => harness.session.isConnected(), `${accountId} connected`, { timeoutMs: 10_000 });
  return { accountId, harness };
}

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wa-sim-driver-'));
  await startSimulator();
});

after(async () => {
  await Promise.all(sessions.map((session) => session.close('shutdown')));
  await simulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SimulatorDriver against a real simulator over HTTP', () => {
  it('given a new device, when the phone scans the QR, then creds.update (saved before the handler) and connection open arrive', async () => {
    const { accountId, harness } = await linkedAccount('15550100001', { name: 'Acme Support' });
    const credsBatch = harness.batches.find((batch) => batch['creds.update']);
    assert.deepEqual(credsBatch?.['creds.update']?.me, { id: '15550100001@s.whatsapp.net', name: 'Acme Support' });
    assert.equal(harness.creds.me?.id, '15550100001@s.whatsapp.net');
    assert.ok(harness.creds.account, 'pair-success gives the device its signed identity');
    assert.equal(harness.saved.at(-1)?.me?.id, '15550100001@s.whatsapp.net');
    const updates = connectionUpdates(harness);
    const qrIndex = updates.findIndex((u) => u?.qr);
    assert.match(updates[qrIndex]!.qr!, /^https:\/\/wa\.me\/settings\/linked_devices#2@/);
    assert.ok(updates.findIndex((u) => u?.isNewLogin) > qrIndex);
    assert.ok(updates.findIndex((u) => u?.connection === 'open') > updates.findIndex((u) => u?.isNewLogin));
    await waitFor(() => connectionUpdates(harness).some((u) => u?.receivedPendingNotifications === true), 'pending notifications received');
    const account = await control('GET', `/sim/accounts/${accountId}`);
    assert.equal(account.body.jid, '15550100001@s.whatsapp.net');
    assert.equal(account.body.pendingDeliveries, 0);
  });

  it('given no scan, when every QR expired, then the session closes with 408 and reports qr-exhausted', async () => {
    const harness = await open('acct-never-scanned');
    await waitFor(() => harness.lifecycle.some((e) => e.kind === 'qr-exhausted'), 'qr-exhausted', { timeoutMs: 10_000 });
    const qrs = connectionUpdates(harness).filter((u) => u?.qr).map((u) => u!.qr);
    assert.equal(qrs.length, 3);
    assert.equal(new Set(qrs).size, 3, 'each QR is new');
    const close = connectionUpdates(harness).find((u) => u?.connection === 'close');
    assert.equal((close?.lastDisconnect?.error as Boom).output.statusCode, 408);
    assert.equal(harness.session.isConnected(), false);
  });

  it('given a linked account, when a phone sends each message type, then messages.upsert carries real proto.WebMessageInfo with that content', async () => {
    const { accountId, harness } = await linkedAccount('15550100002');
    const image = Buffer.from('fake jpeg bytes for the test');
    const cases: Array<{ body: Record<string, unknown>; check: (m: WAMessage) => void }> = [
      { body: { text: 'hello there' }, check: (m) => assert.equal(m.message?.conversation, 'hello there') },
      {
        body: { type: 'image', caption: 'a picture', media: image.toString('base64'), mimetype: 'image/png' },
        check: (m) => {
          assert.equal(m.message?.imageMessage?.caption, 'a picture');
          assert.equal(m.message?.imageMessage?.mimetype, 'image/png');
          assert.equal(Number(m.message?.imageMessage?.fileLength), image.length);
        },
      },
      { body: { type: 'video', caption: 'clip' }, check: (m) => assert.equal(m.message?.videoMessage?.caption, 'clip') },
      { body: { type: 'audio' }, check: (m) => assert.equal(m.message?.audioMessage?.ptt, false) },
      { body: { type: 'voice' }, check: (m) => assert.equal(m.message?.audioMessage?.ptt, true) },
      {
        body: { type: 'document', fileName: 'report.pdf', caption: 'the report' },
        check: (m) => {
          const document = m.message?.documentWithCaptionMessage?.message?.documentMessage;
          assert.equal(document?.fileName, 'report.pdf');
          assert.equal(document?.caption, 'the report');
        },
      },
      { body: { type: 'sticker' }, check: (m) => assert.equal(m.message?.stickerMessage?.mimetype, 'image/webp') },
      {
        body: { type: 'location', location: { latitude: 12.97, longitude: 77.59, name: 'Office' } },
        check: (m) => {
          assert.equal(m.message?.locationMessage?.degreesLatitude, 12.97);
          assert.equal(m.message?.locationMessage?.name, 'Office');
        },
      },
      {
        body: { type: 'contact', contact: { name: 'Jane', phone: '15550109999' } },
        check: (m) => {
          assert.equal(m.message?.contactMessage?.displayName, 'Jane');
          assert.match(m.message?.contactMessage?.vcard ?? '', /waid=15550109999/);
        },
      },
    ];
    for (const { body, check } of cases) {
      const { messageId } = await ok('/sim/inbound', { accountId, from: '15550200002', ...body });
      const message = await upserted(harness, messageId);
      assert.ok(message instanceof proto.WebMessageInfo, `${String(body.type ?? 'text')} is a proto.WebMessageInfo`);
      assert.ok(message.message instanceof proto.Message);
      assert.deepEqual({ remoteJid: message.key.remoteJid, fromMe: message.key.fromMe }, { remoteJid: '15550200002@s.whatsapp.net', fromMe: false });
      check(message);
    }
    const batch = harness.batches.find((b) => b['messages.upsert']);
    assert.equal(batch?.['messages.upsert']?.type, 'notify');
    assert.deepEqual(
      batch?.['chats.upsert']?.map((c) => c.id),
      ['15550200002@s.whatsapp.net'],
      'the first message of a chat upserts it',
    );
    assert.equal(batch?.['contacts.upsert']?.[0]?.notify, 'User 0002');

    const imageMessage = upserts(harness).find((m) => m.message?.imageMessage)!;
    const bytes = await toBuffer(await harness.session.downloadMedia(imageMessage));
    assert.deepEqual(bytes, image);
    await assert.rejects(harness.session.downloadMedia(upserts(harness)[0]!), (error: unknown) => error instanceof WaError && error.code === 'NOT_FOUND');
  });

  it('given a handler that rejects a batch, then the same message comes again (same key id) and once handled it is not redelivered', async () => {
    const { accountId, harness } = await linkedAccount('15550100003');
    let refusals = 0;
    harness.reject = (batch) => !!batch['messages.upsert'] && (refusals += 1) <= 2;
    const { messageId } = await ok('/sim/inbound', { accountId, from: '15550200003', text: 'retry me' });
    await upserted(harness, messageId);
    assert.equal(refusals, 3);
    await ok('/sim/inbound', { accountId, from: '15550200003', text: 'next' });
    await waitFor(() => upserts(harness).length === 2, 'the next message');
    // Well past the visibility timeout: nothing handled comes back.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.deepEqual(
      upserts(harness).map((m) => m.message?.conversation),
      ['retry me', 'next'],
    );
  });

  it('given a linked account, when it sends, then the outbox shows it, a repeated id is recorded once, receipts arrive as messages.update, and 000 numbers fail', async () => {
    const { accountId, harness } = await linkedAccount('15550100004');
    const socket = harness.session.socket();
    const sent = await socket.sendMessage('15550200004@s.whatsapp.net', { text: 'hi back' }, { messageId: 'FIXEDID0001' });
    assert.ok(sent instanceof proto.WebMessageInfo);
    assert.equal(sent.key.id, 'FIXEDID0001');
    await socket.sendMessage('15550200004@s.whatsapp.net', { text: 'hi back' }, { messageId: 'FIXEDID0001' });
    const image = Buffer.from('outbound image bytes');
    const media = await socket.sendMessage('15550200004@s.whatsapp.net', { image, caption: 'look' });
    const outbox = await control('GET', `/sim/outbox?accountId=${accountId}&to=15550200004`);
    assert.equal(outbox.status, 200);
    assert.deepEqual(
      outbox.body.messages.map((m: Record<string, unknown>) => [m.messageId, m.type, m.text ?? m.caption, m.to]),
      [
        ['FIXEDID0001', 'text', 'hi back', '15550200004'],
        [media!.key.id, 'image', 'look', '15550200004'],
      ],
    );
    const stored = await fetch(`${simulator.url}${outbox.body.messages[1].media.url}`);
    assert.deepEqual(Buffer.from(await stored.arrayBuffer()), image, 'the network decrypted the uploaded media');

    await ok('/sim/receipt', { accountId, messageId: 'FIXEDID0001', status: 'delivered' });
    await ok('/sim/receipt', { accountId, messageId: 'FIXEDID0001', status: 'read' });
    const statuses = await waitFor(() => {
      const found = harness.batches.flatMap((b) => b['messages.update'] ?? []).filter((u) => u.key.id === 'FIXEDID0001');
      return found.length === 2 ? found : null;
    }, 'two receipts');
    assert.deepEqual(
      statuses.map((u) => [u.key.remoteJid, u.key.fromMe, u.update.status]),
      [
        ['15550200004@s.whatsapp.net', true, proto.WebMessageInfo.Status.DELIVERY_ACK],
        ['15550200004@s.whatsapp.net', true, proto.WebMessageInfo.Status.READ],
      ],
    );
    await assert.rejects(socket.sendMessage('0001234567@s.whatsapp.net', { text: 'nobody' }), (error: unknown) => {
      assert.ok(error instanceof Boom);
      assert.equal(error.output.statusCode, 404);
      return true;
    });
    assert.deepEqual(await socket.onWhatsApp('0001234567', '15550200004'), [{ jid: '15550200004@s.whatsapp.net', exists: true }]);
  });

  it('given a linked account, when it creates a group and manages participants, then the results and group events match Baileys', async () => {
    const { accountId, harness } = await linkedAccount('15550100005');
    const socket = harness.session.socket();
    const group = await socket.groupCreate('Team', ['15550200005@s.whatsapp.net', '0009999999@s.whatsapp.net']);
    assert.match(group.id, /^\d+@g\.us$/);
    assert.deepEqual(
      group.participants.map((p) => [p.id, p.admin]),
      [
        ['15550100005@s.whatsapp.net', 'superadmin'],
        ['15550200005@s.whatsapp.net', null],
      ],
    );
    const results = await socket.groupParticipantsUpdate(group.id, ['15550200006@s.whatsapp.net', '15550200005@s.whatsapp.net', '0001111111@s.whatsapp.net'], 'add');
    assert.deepEqual(
      results.map((r) => [r.jid, r.status]),
      [
        ['15550200006@s.whatsapp.net', '200'],
        ['15550200005@s.whatsapp.net', '409'],
        ['0001111111@s.whatsapp.net', '404'],
      ],
    );
    await socket.groupParticipantsUpdate(group.id, ['15550200006@s.whatsapp.net'], 'promote');
    await socket.groupUpdateSubject(group.id, 'Team 2');
    const metadata = await socket.groupMetadata(group.id);
    assert.equal(metadata.subject, 'Team 2');
    assert.equal(metadata.participants.find((p) => p.id === '15550200006@s.whatsapp.net')?.admin, 'admin');
    assert.match((await socket.groupInviteCode(group.id)) ?? '', /^[\w-]{22}$/);

    await waitFor(() => harness.batches.some((b) => b['groups.update']?.[0]?.subject === 'Team 2'), 'groups.update subject');
    const created = harness.batches.find((b) => b['groups.upsert'])!;
    assert.equal(created['groups.upsert']![0]!.id, group.id);
    assert.equal(created['messages.upsert']!.messages[0]!.messageStubType, proto.WebMessageInfo.StubType.GROUP_CREATE);
    const added = harness.batches.find((b) => b['group-participants.update']?.action === 'add')!;
    assert.deepEqual(added['group-participants.update']!.participants.map((p) => p.id), ['15550200006@s.whatsapp.net']);

    const { messageId } = await ok('/sim/inbound', { accountId, from: '15550200006', group: group.id, text: 'hello group' });
    const message = await upserted(harness, messageId);
    assert.deepEqual([message.key.remoteJid, message.key.participant], [group.id, '15550200006@s.whatsapp.net']);
    const sent = await socket.sendMessage(group.id, { text: 'to all' });
    await ok('/sim/receipt', { accountId, messageId: sent!.key.id, status: 'read', from: '15550200006' });
    const receipt = await waitFor(() => harness.batches.flatMap((b) => b['message-receipt.update'] ?? []).find((r) => r.key.id === sent!.key.id), 'group receipt');
    assert.equal(receipt.receipt.userJid, '15550200006@s.whatsapp.net');
    assert.ok(receipt.receipt.readTimestamp);
  });

  it('given a link with historyMessages, then the history arrives as several messaging-history.set chunks of Baileys-processed messages', async () => {
    const { harness } = await linkedAccount('15550100006', { historyMessages: 5_000, historyChats: 7 });
    const chunks = await waitFor(() => {
      const sets = harness.batches.map((b) => b['messaging-history.set']).filter((s) => s !== undefined);
      return sets.length === 5 ? sets : null;
    }, 'five history chunks', { timeoutMs: 20_000 });
    assert.deepEqual(
      chunks.map((c) => c!.messages.length),
      [1_000, 1_000, 1_000, 1_000, 1_000],
    );
    const ids = new Set(chunks.flatMap((c) => c!.messages.map((m) => m.key.id)));
    assert.equal(ids.size, 5_000);
    assert.ok(chunks[0]!.messages[0] instanceof proto.WebMessageInfo);
    assert.equal(chunks[0]!.isLatest, true);
    assert.equal(chunks[4]!.progress, 100);
    assert.equal(chunks[0]!.chats.length, 7);
  });

  it('given chat modifications and labels, then Baileys processSyncAction events come back', async () => {
    const { accountId, harness } = await linkedAccount('15550100007');
    const socket = harness.session.socket();
    await socket.chatModify({ archive: true, lastMessages: [] }, '15550200007@s.whatsapp.net');
    await socket.addLabel('', { id: '5', name: 'VIP', color: 3 });
    await socket.addChatLabel('15550200007@s.whatsapp.net', '5');
    await socket.updateProfileName('Acme Renamed');
    await waitFor(() => harness.batches.some((b) => b['creds.update']?.me?.name === 'Acme Renamed'), 'push name creds.update');
    assert.ok(harness.batches.some((b) => b['chats.update']?.some((c) => c.id === '15550200007@s.whatsapp.net' && c.archived === true)));
    assert.ok(harness.batches.some((b) => b['labels.edit']?.name === 'VIP'));
    assert.ok(harness.batches.some((b) => b['labels.association']?.type === 'add'));
    const account = await control('GET', `/sim/accounts/${accountId}`);
    assert.equal(account.body.name, 'Acme Renamed');
    assert.deepEqual(account.body.chats['15550200007@s.whatsapp.net'].labels, ['5']);
    await socket.updateBlockStatus('15550200008@s.whatsapp.net', 'block');
    assert.deepEqual(await socket.fetchBlocklist(), ['15550200008@s.whatsapp.net']);
    await waitFor(() => harness.batches.some((b) => b['blocklist.update']?.type === 'add'), 'blocklist.update');
  });

  it('given a device asking for a pairing code, then it gets 8 characters the simulator records, and the link still completes', async () => {
    const harness = await open('acct-pairing', initAuthCreds(), { method: 'PAIRING_CODE', phoneNumber: '15550100008' });
    const code = await harness.session.requestPairingCode('15550100008');
    assert.match(code, /^[A-Z0-9]{8}$/);
    assert.equal((await control('GET', '/sim/accounts/acct-pairing')).body.pairingCode, code);
    assert.equal((await control('POST', '/sim/link', { accountId: 'acct-pairing', phone: '15550100008', code: 'WRONG123' })).status, 400);
    await ok('/sim/link', { accountId: 'acct-pairing', phone: '15550100008', code });
    await waitFor(() => harness.session.isConnected(), 'paired');
  });

  it('given saved credentials, when a new session opens with them, then it connects without a new link; the old session is replaced', async () => {
    const { accountId, harness } = await linkedAccount('15550100009');
    const restored = structuredClone(harness.saved.at(-1)!);
    const second = await open(accountId, restored);
    await waitFor(() => second.session.isConnected(), 'restored session open');
    assert.equal(second.batches.some((b) => b['creds.update']), false, 'no new pairing');
    assert.equal(connectionUpdates(second).some((u) => u?.qr), false, 'no QR');
    await waitFor(() => harness.lifecycle.some((e) => e.kind === 'replaced'), 'first session replaced');
    const { messageId } = await ok('/sim/inbound', { accountId, from: '15550200009', text: 'to the new session' });
    await upserted(second, messageId);
  });

  it('given the phone removes the device, then the session closes with 401 and reports logged-out; restored creds no longer connect', async () => {
    const { accountId, harness } = await linkedAccount('15550100010');
    const saved = structuredClone(harness.saved.at(-1)!);
    await ok('/sim/unlink', { accountId });
    await waitFor(() => harness.lifecycle.some((e) => e.kind === 'logged-out'), 'logged-out');
    const close = connectionUpdates(harness).find((u) => u?.connection === 'close');
    assert.equal((close?.lastDisconnect?.error as Boom).output.statusCode, 401);
    const again = await open(accountId, saved);
    await waitFor(() => again.lifecycle.some((e) => e.kind === 'logged-out'), 'restored creds are void');
  });

  it('given logout() from the connector, then the simulator forgets the link and the close carries 401', async () => {
    const { accountId, harness } = await linkedAccount('15550100011');
    await harness.session.logout();
    const close = connectionUpdates(harness).find((u) => u?.connection === 'close');
    assert.equal((close?.lastDisconnect?.error as Boom).output.statusCode, 401);
    assert.equal((await control('GET', `/sim/accounts/${accountId}`)).body.linked, false);
    assert.equal((await control('POST', '/sim/inbound', { accountId, from: '15550200011', text: 'x' })).status, 404);
  });

  it('given close(), also from inside a handler, then the session ends without unlinking, reports one close, and restored creds reconnect', async () => {
    const { accountId, harness } = await linkedAccount('15550100015');
    harness.hook = async (batch) => {
      if (batch['messages.upsert']) await harness.session.close('requested');
    };
    const { messageId } = await ok('/sim/inbound', { accountId, from: '15550200015', text: 'close now' });
    await upserted(harness, messageId);
    await waitFor(() => connectionUpdates(harness).some((u) => u?.connection === 'close'), 'close reported');
    await harness.session.close('shutdown');
    assert.equal(connectionUpdates(harness).filter((u) => u?.connection === 'close').length, 1);
    assert.equal(harness.session.isConnected(), false);
    assert.deepEqual(harness.lifecycle, []);
    const account = await control('GET', `/sim/accounts/${accountId}`);
    assert.equal(account.body.linked, true);
    assert.equal(account.body.pendingDeliveries, 0, 'the message handled before close was acknowledged');
    const again = await open(accountId, structuredClone(harness.saved.at(-1)!));
    await waitFor(() => again.session.isConnected(), 'reconnected with the saved creds');
  });

  it('given a simulator restart on the same folder, then links, the outbox and unacknowledged inbound survive, and the driver reconnects by itself', async () => {
    const { accountId, harness } = await linkedAccount('15550100012');
    await harness.session.socket().sendMessage('15550200012@s.whatsapp.net', { text: 'before restart' });
    harness.reject = (batch) => !!batch['messages.upsert'];
    const { messageId } = await ok('/sim/inbound', { accountId, from: '15550200012', text: 'survives' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await simulator.close();
    harness.reject = null;
    await startSimulator();
    const message = await upserted(harness, messageId);
    assert.equal(message.message?.conversation, 'survives');
    assert.ok(harness.lifecycle.some((e) => e.kind === 'reconnecting'), 'the driver reconnected');
    const outbox = await control('GET', `/sim/outbox?accountId=${accountId}`);
    assert.deepEqual(
      outbox.body.messages.map((m: Record<string, unknown>) => m.text),
      ['before restart'],
    );
    assert.equal((await control('GET', `/sim/accounts/${accountId}`)).body.linked, true);
  });

  it('given two accounts on the simulator, when one messages the other, then it arrives as inbound and acknowledging it sends a delivery receipt back', async () => {
    const a = await linkedAccount('15550100013');
    const b = await linkedAccount('15550100014');
    const sent = await a.harness.session.socket().sendMessage('15550100014@s.whatsapp.net', { text: 'hello b' });
    const received = await upserted(b.harness, sent!.key.id!);
    assert.equal(received.key.remoteJid, '15550100013@s.whatsapp.net');
    assert.equal(received.message?.extendedTextMessage?.text ?? received.message?.conversation, 'hello b');
    await waitFor(
      () => a.harness.batches.some((batch) => batch['messages.update']?.some((u) => u.key.id === sent!.key.id && u.update.status === proto.WebMessageInfo.Status.DELIVERY_ACK)),
      'delivery receipt to the sender',
    );
    await b.harness.session.socket().readMessages([received.key]);
    await waitFor(
      () => a.harness.batches.some((batch) => batch['messages.update']?.some((u) => u.key.id === sent!.key.id && u.update.status === proto.WebMessageInfo.Status.READ)),
      'read receipt to the sender',
    );
  });
});
