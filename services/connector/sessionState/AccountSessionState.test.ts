import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BufferJSON,
  DEFAULT_CONNECTION_CONFIG,
  addTransactionCapability,
  generateSignalPubKey,
  getNextPreKeys,
  initAuthCreds,
  makeCacheableSignalKeyStore,
  proto,
  type AuthenticationCreds,
  type SignalDataTypeMap,
} from '@whiskeysockets/baileys';
import { AvroCodec } from '../../../schemas/index.js';
import { createLogger, WaError } from '../../shared/index.js';
import type { OutgoingRecord } from '../../shared/kafka/index.js';
import { SecretBox } from '../../shared/secrets/index.js';
import {
  AccountSessionState,
  SESSION_STATE_SCHEMA,
  WRITER_EPOCH_HEADER,
  parseSessionStateKey,
  sessionEntryKind,
  sessionStateKey,
  type SessionStateEntryValue,
} from './index.js';

const codec = AvroCodec.load();
const box = new SecretBox(Buffer.alloc(32, 42));
const logger = createLogger('test', 'silent');
const ALICE = '14155550001@s.whatsapp.net';
const BOB = '14155550002@s.whatsapp.net';
const NOW = 1_731_990_000_000;

/** An account's state writing into an in-memory log, the way the connector writes to the topic. */
function stateOn(log: OutgoingRecord[], accountId = 'acct-1', options: { epoch?: number; secretBox?: SecretBox } = {}): AccountSessionState {
  return new AccountSessionState({
    accountId,
    box: options.secretBox ?? box,
    codec,
    partitions: 12,
    persist: async (records) => {
      log.push(...records);
    },
    epoch: () => options.epoch ?? 1,
    now: () => NOW,
  });
}

/** A fresh state restored by replaying the log in order, as the runtime does after a restart. */
function restored(log: readonly OutgoingRecord[], accountId = 'acct-1', secretBox = box): AccountSessionState {
  const state = stateOn([], accountId, { secretBox });
  for (const record of log) state.restore({ key: record.key!, value: record.value, headers: record.headers });
  return state;
}

function withSignal(state: AccountSessionState) {
  const auth = state.auth();
  const keys = addTransactionCapability(makeCacheableSignalKeyStore(auth.state.keys, logger), logger, {
    maxCommitRetries: 1,
    delayBetweenTriesMs: 1,
  });
  const repo = DEFAULT_CONNECTION_CONFIG.makeSignalRepository({ creds: auth.state.creds, keys }, logger);
  return { auth, keys, repo };
}

function assertWaError(code: string): (error: unknown) => boolean {
  return (error: unknown) => error instanceof WaError && error.code === code;
}

describe('session-state keys', () => {
  it('round-trips <accountId>/<rawKind>/<entryId>, with "/" allowed in the entry id only', () => {
    assert.equal(sessionStateKey('acct-1', 'pre-key', '17'), 'acct-1/pre-key/17');
    assert.deepEqual(parseSessionStateKey('acct-1/sender-key/120363@g.us::1415/5550001::0'), {
      accountId: 'acct-1',
      rawKind: 'sender-key',
      entryId: '120363@g.us::1415/5550001::0',
    });
    assert.throws(() => sessionStateKey('a/b', 'creds', 'creds'), assertWaError('INVALID_ARGUMENT'));
    assert.throws(() => sessionStateKey('acct', 'pre/key', '1'), assertWaError('INVALID_ARGUMENT'));
    assert.throws(() => sessionStateKey('acct', 'pre-key', ''), assertWaError('INVALID_ARGUMENT'));
    for (const bad of ['acct-1', 'acct-1/creds', '/creds/creds', 'acct-1//x', 'acct-1/creds/']) {
      assert.throws(() => parseSessionStateKey(bad), assertWaError('CODEC'), bad);
    }
  });

  it('maps every Baileys category to its enum symbol, and anything else to UNKNOWN', () => {
    const expected: Record<keyof SignalDataTypeMap | 'creds', string> = {
      creds: 'CREDS',
      'pre-key': 'PRE_KEY',
      session: 'SESSION',
      'sender-key': 'SENDER_KEY',
      'sender-key-memory': 'SENDER_KEY_MEMORY',
      'app-state-sync-key': 'APP_STATE_SYNC_KEY',
      'app-state-sync-version': 'APP_STATE_SYNC_VERSION',
      'lid-mapping': 'LID_MAPPING',
      'device-list': 'DEVICE_LIST',
      tctoken: 'TCTOKEN',
      'identity-key': 'IDENTITY_KEY',
    };
    for (const [raw, symbol] of Object.entries(expected)) assert.equal(sessionEntryKind(raw), symbol);
    assert.equal(sessionEntryKind('backbone'), 'UNKNOWN');
    assert.equal(sessionEntryKind('toString'), 'UNKNOWN');
    // Every symbol is one the schema declares.
    for (const symbol of [...Object.values(expected), 'UNKNOWN']) {
      const value: SessionStateEntryValue = {
        accountId: 'a', kind: symbol as SessionStateEntryValue['kind'], rawKind: 'x', entryId: 'y',
        keyId: 'k', iv: Buffer.alloc(12), authTag: Buffer.alloc(16), ciphertext: Buffer.alloc(1), updatedAt: NOW, writerEpoch: null,
      };
      codec.encode(SESSION_STATE_SCHEMA, value);
    }
  });
});

describe('AccountSessionState', () => {
  it('restores Baileys credentials byte-identical, Buffers intact', async () => {
    const log: OutgoingRecord[] = [];
    const state = stateOn(log);
    const auth = state.auth();
    const creds = auth.state.creds;
    creds.me = { id: '14155550001:7@s.whatsapp.net', name: 'Alice', lid: '123456789:7@lid' };
    creds.account = proto.ADVSignedDeviceIdentity.fromObject({
      details: Buffer.from('details'),
      accountSignatureKey: Buffer.alloc(32, 3),
      accountSignature: Buffer.alloc(64, 4),
      deviceSignature: Buffer.alloc(64, 5),
    });
    creds.routingInfo = Buffer.from([1, 2, 3]);
    await auth.saveCreds();

    const again = restored(log);
    const back = again.auth().state.creds;
    assert.equal(JSON.stringify(back, BufferJSON.replacer), JSON.stringify(creds, BufferJSON.replacer));
    assert.ok(Buffer.isBuffer(back.noiseKey.private));
    assert.deepEqual(back.noiseKey.private, Buffer.from(creds.noiseKey.private));
    assert.deepEqual(back.signedIdentityKey.private, Buffer.from(creds.signedIdentityKey.private));
    assert.deepEqual(back.signedPreKey.signature, Buffer.from(creds.signedPreKey.signature));
    assert.equal(back.advSecretKey, creds.advSecretKey);
    assert.equal(back.registrationId, creds.registrationId);
    assert.deepEqual(
      proto.ADVSignedDeviceIdentity.encode(back.account!).finish(),
      proto.ADVSignedDeviceIdentity.encode(creds.account).finish(),
    );
    assert.equal(again.isRegistered(), true);
    assert.equal(again.meJid(), '14155550001@s.whatsapp.net');
  });

  it('restores every key category byte-identical', async () => {
    const log: OutgoingRecord[] = [];
    const state = stateOn(log);
    const keyData = proto.Message.AppStateSyncKeyData.fromObject({
      keyData: Buffer.alloc(32, 9),
      fingerprint: { rawId: 7, currentIndex: 2, deviceIndexes: [0, 1] },
      timestamp: 1_731_990_000_123,
    });
    const preKey = initAuthCreds().signedIdentityKey;
    const data = {
      'pre-key': { '1': preKey },
      session: { '14155550002.0': new Uint8Array([5, 6, 7, 0, 255]) },
      'sender-key': { '120363@g.us::14155550002::0': Buffer.from('{"x":1}') },
      'sender-key-memory': { '120363@g.us': { '14155550002:3@s.whatsapp.net': true } },
      'app-state-sync-key': { AAAAAAcF: keyData },
      'app-state-sync-version': { regular_high: { version: 12, hash: Buffer.alloc(128, 1), indexValueMap: { 'aW5kZXg=': { valueMac: Buffer.alloc(32, 2) } } } },
      'lid-mapping': { '14155550002': '987654321', '987654321_reverse': '14155550002' },
      'device-list': { '14155550002': ['0', '3'] },
      tctoken: { [BOB]: { token: Buffer.from([9, 9]), timestamp: '1731990000' } },
      'identity-key': { '14155550002.0': Buffer.alloc(33, 5) },
    } satisfies { [T in keyof SignalDataTypeMap]: Record<string, SignalDataTypeMap[T]> };
    await state.auth().state.keys.set(data);

    const keys = restored(log).auth().state.keys;
    const json = (value: unknown): string => JSON.stringify(value, BufferJSON.replacer);
    for (const [type, values] of Object.entries(data)) {
      const back = await keys.get(type as keyof SignalDataTypeMap, Object.keys(values));
      assert.equal(json(back), json(values), type);
    }
    const { 1: pre } = await keys.get('pre-key', ['1']);
    assert.ok(Buffer.isBuffer(pre!.private));
    assert.deepEqual(pre!.private, Buffer.from(preKey.private));
    const { AAAAAAcF: syncKey } = await keys.get('app-state-sync-key', ['AAAAAAcF']);
    assert.ok(syncKey instanceof proto.Message.AppStateSyncKeyData);
    assert.deepEqual(proto.Message.AppStateSyncKeyData.encode(syncKey).finish(), proto.Message.AppStateSyncKeyData.encode(keyData).finish());
    assert.deepEqual(await keys.get('session', ['nobody.0']), {});
  });

  it('keeps signal sessions working across a restart (real Baileys key store and libsignal)', async () => {
    const aliceLog: OutgoingRecord[] = [];
    const bobLog: OutgoingRecord[] = [];
    const alice = withSignal(stateOn(aliceLog, 'alice'));
    const bob = withSignal(stateOn(bobLog, 'bob'));

    const bobCreds = bob.auth.state.creds;
    const { update, preKeys } = await bob.keys.transaction(() => getNextPreKeys({ creds: bobCreds, keys: bob.keys }, 3), 'pre-keys');
    Object.assign(bobCreds, update);
    await bob.auth.saveCreds();
    const preKeyId = Number(Object.keys(preKeys)[0]);
    assert.equal(bobLog.filter((r) => r.key!.startsWith('bob/pre-key/')).length, 3);

    await alice.repo.injectE2ESession({
      jid: BOB,
      session: {
        registrationId: bobCreds.registrationId,
        identityKey: generateSignalPubKey(bobCreds.signedIdentityKey.public),
        signedPreKey: {
          keyId: bobCreds.signedPreKey.keyId,
          publicKey: generateSignalPubKey(bobCreds.signedPreKey.keyPair.public),
          signature: bobCreds.signedPreKey.signature,
        },
        preKey: { keyId: preKeyId, publicKey: generateSignalPubKey(preKeys[preKeyId]!.public) },
      },
    });
    const first = await alice.repo.encryptMessage({ jid: BOB, data: Buffer.from('first') });
    assert.equal(first.type, 'pkmsg');
    assert.equal(Buffer.from(await bob.repo.decryptMessage({ jid: ALICE, type: first.type, ciphertext: first.ciphertext })).toString(), 'first');

    // The used pre-key was deleted by libsignal: a tombstone.
    const preKeyKey = sessionStateKey('bob', 'pre-key', String(preKeyId));
    assert.equal(bobLog.filter((r) => r.key === preKeyKey).at(-1)!.value, null);
    assert.ok(bobLog.some((r) => r.key === 'bob/session/14155550001.0' && r.value !== null));

    // Bob's connector restarts: everything comes back from the log.
    const bobAgain = withSignal(restored(bobLog, 'bob'));
    assert.deepEqual(await bobAgain.auth.state.keys.get('pre-key', [String(preKeyId)]), {});
    const second = await alice.repo.encryptMessage({ jid: BOB, data: Buffer.from('second') });
    assert.equal(Buffer.from(await bobAgain.repo.decryptMessage({ jid: ALICE, type: second.type, ciphertext: second.ciphertext })).toString(), 'second');
    const reply = await bobAgain.repo.encryptMessage({ jid: ALICE, data: Buffer.from('reply') });
    assert.equal(reply.type, 'msg', 'the restored session is the established one, not a new one');
    assert.equal(Buffer.from(await alice.repo.decryptMessage({ jid: BOB, type: reply.type, ciphertext: reply.ciphertext })).toString(), 'reply');
  });

  it('resolves keys.set and saveCreds only once persisted, and rejects when persisting fails', async () => {
    let release!: () => void;
    let fail = false;
    const persisted: OutgoingRecord[] = [];
    const state = new AccountSessionState({
      accountId: 'acct-1', box, codec, partitions: 12, epoch: () => 1, now: () => NOW,
      persist: async (records) => {
        await new Promise<void>((resolve) => (release = resolve));
        if (fail) throw new WaError('KAFKA', 'broker down', { retriable: true });
        persisted.push(...records);
      },
    });
    const auth = state.auth();
    let done = false;
    const pending = Promise.resolve(auth.state.keys.set({ 'pre-key': { '1': initAuthCreds().noiseKey } })).then(() => (done = true));
    // Written while the first write is in flight: goes out after it, in one batch.
    const second = Promise.resolve(auth.state.keys.set({ 'device-list': { '1415': ['0'] } }));
    const third = auth.saveCreds();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(done, false);
    release();
    await pending;
    assert.deepEqual(persisted.map((r) => r.key), ['acct-1/pre-key/1']);
    await new Promise((resolve) => setImmediate(resolve));
    fail = true;
    release();
    await assert.rejects(second, assertWaError('KAFKA'));
    await assert.rejects(third, assertWaError('KAFKA'));
    assert.equal(persisted.length, 1);
  });

  it('deletes entries on tombstones, later records winning', async () => {
    const log: OutgoingRecord[] = [];
    const keys = stateOn(log).auth().state.keys;
    await keys.set({ 'lid-mapping': { a: '1', b: '2' } });
    await keys.set({ 'lid-mapping': { a: '3', b: null } });
    assert.deepEqual(log.map((r) => [r.key, r.value === null]), [
      ['acct-1/lid-mapping/a', false],
      ['acct-1/lid-mapping/b', false],
      ['acct-1/lid-mapping/a', false],
      ['acct-1/lid-mapping/b', true],
    ]);
    const back = restored(log);
    assert.deepEqual(await back.auth().state.keys.get('lid-mapping', ['a', 'b']), { a: '3' });
    assert.equal(back.size(), 1);
  });

  it('fails clearly on a wrong key, tampered bytes, or a value replayed under another key', async () => {
    const log: OutgoingRecord[] = [];
    await stateOn(log).auth().saveCreds();
    const record = log[0]!;
    const restore = (value: Buffer, key = record.key!) => stateOn([]).restore({ key, value });

    assert.throws(() => restored(log, 'acct-1', new SecretBox(Buffer.alloc(32, 1))), assertWaError('INVALID_CONFIG'));
    const tampered = Buffer.from(record.value!);
    tampered[tampered.length - 20] ^= 0x01;
    assert.throws(() => restore(tampered), assertWaError('CODEC'));
    // The same sealed value under another record key: the AAD no longer matches.
    const entry = codec.decode<SessionStateEntryValue>(record.value!).value;
    const moved = codec.encode(SESSION_STATE_SCHEMA, { ...entry, entryId: 'other' });
    assert.throws(() => restore(moved, 'acct-1/creds/other'), assertWaError('CODEC'));
    // A value whose fields disagree with its key.
    assert.throws(() => restore(record.value!, 'acct-1/creds/other'), assertWaError('CODEC'));
    assert.throws(() => stateOn([], 'acct-2').restore({ key: record.key!, value: record.value }), assertWaError('INVALID_ARGUMENT'));
    assert.throws(() => restore(Buffer.from('not avro')), assertWaError('CODEC'));
  });

  it('never writes a plaintext secret', async () => {
    const log: OutgoingRecord[] = [];
    const state = stateOn(log);
    const auth = state.auth();
    const creds: AuthenticationCreds = auth.state.creds;
    await auth.saveCreds();
    const pre = initAuthCreds().noiseKey;
    await auth.state.keys.set({ 'pre-key': { '5': pre }, 'lid-mapping': { '14155550002': 'secret-lid-987654321' } });
    const bytes = Buffer.concat(log.flatMap((r) => [Buffer.from(r.key!), r.value ?? Buffer.alloc(0), Buffer.from(JSON.stringify(r.headers))]));
    const secrets = [creds.noiseKey.private, creds.signedIdentityKey.private, creds.signedPreKey.keyPair.private, pre.private].map((s) => Buffer.from(s));
    for (const secret of secrets) {
      for (const form of [secret, Buffer.from(secret.toString('base64')), Buffer.from(secret.toString('hex'))]) {
        assert.equal(bytes.includes(form), false);
      }
    }
    assert.equal(bytes.includes(Buffer.from(creds.advSecretKey)), false);
    assert.equal(bytes.includes(Buffer.from('secret-lid')), false);
  });

  it('clear() writes a tombstone for every entry and starts over', async () => {
    const log: OutgoingRecord[] = [];
    const state = stateOn(log);
    const auth = state.auth();
    auth.state.creds.me = { id: '14155550001:7@s.whatsapp.net' };
    auth.state.creds.account = { details: Buffer.from('d') };
    await auth.saveCreds();
    await auth.state.keys.set({ session: { 'a.0': Buffer.from('s') }, 'pre-key': { '1': initAuthCreds().noiseKey } });
    log.push(state.putEntry('backbone', 'account', { name: 'Sales' }));
    assert.equal(state.isRegistered(), true);

    const before = log.length;
    await state.clear();
    const tombstones = log.slice(before);
    assert.deepEqual(tombstones.map((r) => r.key).sort(), ['acct-1/backbone/account', 'acct-1/creds/creds', 'acct-1/pre-key/1', 'acct-1/session/a.0']);
    assert.ok(tombstones.every((r) => r.value === null && r.headers[WRITER_EPOCH_HEADER] === '1'));
    assert.equal(state.isRegistered(), false);
    assert.equal(state.meJid(), null);
    assert.equal(state.size(), 0);
    assert.equal(restored(log).size(), 0);

    // The old socket's late writes do not resurrect the logged-out session.
    await auth.saveCreds();
    await auth.state.keys.set({ session: { 'b.0': Buffer.from('s') } });
    assert.equal(log.length, before + tombstones.length);
    assert.notEqual(state.auth().state.creds, auth.state.creds);
  });

  it('is not registered before pair-success, even after a pairing code set `me`', async () => {
    const state = stateOn([]);
    assert.equal(state.isRegistered(), false);
    const creds = state.auth().state.creds;
    creds.me = { id: '14155550001@s.whatsapp.net', name: '~' };
    assert.equal(state.isRegistered(), false);
    creds.account = { details: Buffer.from('d') };
    assert.equal(state.isRegistered(), true);
  });

  it('keeps the connector’s own entries', () => {
    const log: OutgoingRecord[] = [];
    const state = stateOn(log, 'acct-1', { epoch: 4 });
    const record = state.putEntry('backbone', 'account', { name: 'Sales', linkedAt: NOW, avatar: Buffer.from([1, 2]) });
    assert.equal(record.key, 'acct-1/backbone/account');
    assert.equal(record.accountId, 'acct-1');
    const entry = codec.decode<SessionStateEntryValue>(record.value!, SESSION_STATE_SCHEMA).value;
    assert.equal(entry.kind, 'UNKNOWN');
    assert.equal(entry.rawKind, 'backbone');
    assert.equal(entry.writerEpoch, 4);
    assert.equal(entry.updatedAt, NOW);
    assert.equal(entry.keyId, box.keyId);
    assert.deepEqual(state.getEntry('backbone', 'account'), { name: 'Sales', linkedAt: NOW, avatar: Buffer.from([1, 2]) });
    log.push(record);
    assert.deepEqual(restored(log).getEntry('backbone', 'account'), { name: 'Sales', linkedAt: NOW, avatar: Buffer.from([1, 2]) });
    log.push(state.deleteEntry('backbone', 'account'));
    assert.equal(state.getEntry('backbone', 'account'), undefined);
    assert.equal(restored(log).getEntry('backbone', 'account'), undefined);
    assert.throws(() => state.putEntry('backbone', 'nothing', undefined), assertWaError('INVALID_ARGUMENT'));
  });

  it('ignores records of a writer fenced off by a newer epoch, tombstones included', () => {
    const oldLog: OutgoingRecord[] = [];
    const newLog: OutgoingRecord[] = [];
    const zombie = stateOn(oldLog, 'acct-1', { epoch: 5 });
    const owner = stateOn(newLog, 'acct-1', { epoch: 6 });
    const log = [
      zombie.putEntry('backbone', 'x', 'from 5'),
      owner.putEntry('backbone', 'x', 'from 6'),
      owner.putEntry('backbone', 'y', 'from 6'),
      zombie.putEntry('backbone', 'x', 'late write from 5'),
      zombie.deleteEntry('backbone', 'y'),
    ];
    const state = stateOn([]);
    const applied = log.map((r) => state.restore({ key: r.key!, value: r.value, headers: r.headers }));
    assert.deepEqual(applied, [true, true, true, false, false]);
    assert.equal(state.getEntry('backbone', 'x'), 'from 6');
    assert.equal(state.getEntry('backbone', 'y'), 'from 6');
  });
});
