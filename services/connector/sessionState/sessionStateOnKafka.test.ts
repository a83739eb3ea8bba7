// Integration: needs the real broker (KAFKA_BROKERS, as `make test` / test/with-broker.sh set it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Kafka } from 'kafkajs';
import { BufferJSON, getNextPreKeys, proto, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import { AvroCodec } from '../../../schemas/index.js';
import { WaError } from '../../shared/index.js';
import { KafkaProducer, partitionForAccount, type ConsumedRecord, type TopicSpec } from '../../shared/kafka/index.js';
import { SecretBox } from '../../shared/secrets/index.js';
import { ConsumedCollector, freshTopic, testKafka, testLogger } from '../../../test/helpers/index.js';
import { AccountSessionState, SESSION_STATE_SCHEMA } from './index.js';

const PARTITIONS = 12;
const codec = AvroCodec.load();
const box = new SecretBox(Buffer.from('4a'.repeat(32), 'hex'));
const json = (value: unknown): string => JSON.stringify(value, BufferJSON.replacer);

function restoreFrom(records: readonly ConsumedRecord[], accountId: string, secretBox = box): AccountSessionState {
  const state = new AccountSessionState({ accountId, box: secretBox, codec, partitions: PARTITIONS, persist: async () => {}, epoch: () => 1, now: Date.now });
  for (const record of records) {
    if (record.key!.startsWith(`${accountId}/`)) state.restore({ key: record.key!, value: record.value, headers: record.headers });
  }
  return state;
}

describe('session state on wa.session-state.v1 (real broker)', { skip: process.env.KAFKA_BROKERS ? false : 'needs KAFKA_BROKERS (run with test/with-broker.sh)' }, () => {
  let kafka: Kafka;
  let producer: KafkaProducer;
  let topic: TopicSpec;

  before(async () => {
    kafka = testKafka();
    producer = await KafkaProducer.connect(kafka, testLogger());
    topic = await freshTopic(kafka, 'session-state', { partitions: PARTITIONS, cleanup: 'compact', key: 'entry', valueSchema: SESSION_STATE_SCHEMA });
  });

  after(async () => {
    await producer?.disconnect();
  });

  function stateFor(accountId: string): AccountSessionState {
    return new AccountSessionState({
      accountId,
      box,
      codec,
      partitions: PARTITIONS,
      persist: async (records) => {
        await producer.send(topic, records);
      },
      epoch: () => 3,
      now: Date.now,
    });
  }

  it('seals, writes, reads back and restores creds and signal keys byte-identical; clear() tombstones all', async () => {
    const accounts = ['acct-kafka-1', 'acct-kafka-2'];
    const states = accounts.map(stateFor);
    const written: Record<string, { creds: string; keys: Record<string, Record<string, unknown>> }> = {};
    for (const [i, state] of states.entries()) {
      const auth = state.auth();
      auth.state.creds.me = { id: `1415555000${i}:4@s.whatsapp.net`, name: 'Shop' };
      auth.state.creds.account = proto.ADVSignedDeviceIdentity.fromObject({ details: Buffer.from(`details ${i}`), accountSignatureKey: Buffer.alloc(32, i) });
      const { update } = await getNextPreKeys(auth.state, 5);
      Object.assign(auth.state.creds, update);
      await auth.saveCreds();
      const keys = {
        session: { '14155550009.0': Buffer.from(json({ _sessions: { base: 'AQID' }, version: 'v1' })), '14155550009.3': new Uint8Array([0, 1, 2, 254, 255]) },
        'app-state-sync-key': {
          AAAAAAcF: proto.Message.AppStateSyncKeyData.fromObject({ keyData: Buffer.alloc(32, 7), fingerprint: { rawId: 1, currentIndex: 2, deviceIndexes: [0] }, timestamp: 1_731_990_000_000 }),
        },
        'identity-key': { '14155550009.0': Buffer.alloc(33, 5) },
      };
      await auth.state.keys.set(keys);
      await auth.state.keys.set({ 'pre-key': { '2': null } });
      const preKeys = await auth.state.keys.get('pre-key', ['1', '2', '3', '4', '5']);
      assert.deepEqual(Object.keys(preKeys).sort(), ['1', '3', '4', '5']);
      written[accounts[i]!] = { creds: json(auth.state.creds), keys: { ...keys, 'pre-key': preKeys } };
    }

    const collector = await ConsumedCollector.start(kafka, [topic.name]);
    try {
      // Per account: creds, 5 pre-keys, 4 keys, 1 tombstone.
      // The collector's array keeps growing: work on a copy of what was written so far.
      const records = [...(await collector.waitForCount(2 * 11))];
      assert.equal(records.length, 2 * 11);
      for (const record of records) {
        const accountId = record.key!.split('/')[0]!;
        assert.equal(record.partition, partitionForAccount(accountId, PARTITIONS), 'partition from the account id');
      }
      const tombstone = records.find((r) => r.key === 'acct-kafka-1/pre-key/2' && r.value === null);
      assert.ok(tombstone, 'deleted pre-key is a tombstone');

      for (const accountId of accounts) {
        const state = restoreFrom(records, accountId);
        assert.equal(state.isRegistered(), true);
        const auth = state.auth();
        assert.equal(json(auth.state.creds), written[accountId]!.creds, `${accountId} creds`);
        assert.ok(Buffer.isBuffer(auth.state.creds.noiseKey.private));
        for (const [type, values] of Object.entries(written[accountId]!.keys)) {
          const back = await auth.state.keys.get(type as keyof SignalDataTypeMap, [...Object.keys(values), 'missing']);
          assert.equal(json(back), json(values), `${accountId} ${type}`);
        }
        const { AAAAAAcF: syncKey } = await auth.state.keys.get('app-state-sync-key', ['AAAAAAcF']);
        assert.ok(syncKey instanceof proto.Message.AppStateSyncKeyData);
      }

      // Nothing secret is readable on the topic.
      const topicBytes = Buffer.concat(records.flatMap((r) => [Buffer.from(r.key!), r.value ?? Buffer.alloc(0), Buffer.from(JSON.stringify(r.headers))]));
      const creds = states[0]!.auth().state.creds;
      for (const secret of [creds.noiseKey.private, creds.signedIdentityKey.private, creds.signedPreKey.keyPair.private, Buffer.alloc(32, 7)]) {
        for (const form of [Buffer.from(secret), Buffer.from(Buffer.from(secret).toString('base64')), Buffer.from(Buffer.from(secret).toString('hex'))]) {
          assert.equal(topicBytes.includes(form), false);
        }
      }
      assert.equal(topicBytes.includes(Buffer.from(creds.advSecretKey)), false);

      // Another key, or altered bytes, fail clearly.
      assert.throws(() => restoreFrom(records, 'acct-kafka-1', new SecretBox(Buffer.alloc(32, 1))), (e: unknown) => e instanceof WaError && e.code === 'INVALID_CONFIG');
      const sample = records.find((r) => r.key === 'acct-kafka-1/creds/creds')!;
      const altered = Buffer.from(sample.value!);
      altered[altered.length - 12] ^= 0x80;
      assert.throws(() => restoreFrom([{ ...sample, value: altered }], 'acct-kafka-1'), (e: unknown) => e instanceof WaError && e.code === 'CODEC');

      // Logged out: every entry of the first account is tombstoned, the other account is untouched.
      const live = restoreFrom(records, 'acct-kafka-1');
      const entries = live.size();
      assert.equal(entries, 1 + 4 + 4);
      await states[0]!.clear();
      const after = [...(await collector.waitForCount(records.length + entries))];
      const clears = after.slice(records.length);
      assert.ok(clears.every((r) => r.value === null && r.key!.startsWith('acct-kafka-1/')));
      assert.equal(new Set(clears.map((r) => r.key)).size, entries);
      const cleared = restoreFrom(after, 'acct-kafka-1');
      assert.equal(cleared.size(), 0);
      assert.equal(cleared.isRegistered(), false);
      assert.equal(restoreFrom(after, 'acct-kafka-2').isRegistered(), true);
    } finally {
      await collector.stop();
    }
  });
});
