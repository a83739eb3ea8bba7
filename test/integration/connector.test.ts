import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Kafka } from 'kafkajs';
import { AvroCodec } from '../../schemas/index.js';
import { Connector, type ConnectorTopics } from '../../services/connector/index.js';
import { SimulatorDriver } from '../../services/connector/drivers/simulator/index.js';
import { SendPacer } from '../../services/connector/pacing/index.js';
import { KafkaProducer, partitionForAccount, recordHeaders, type ConsumedRecord } from '../../services/shared/kafka/index.js';
import { FileMediaStore } from '../../services/shared/media/index.js';
import { SecretBox } from '../../services/shared/secrets/index.js';
import { createSimulator, type Simulator } from '../../services/simulator/index.js';
import { ConsumedCollector, freshGroup, freshTopic, JsonLinesChild, testKafka, testLogger, waitFor } from '../helpers/index.js';

const connectorProcess = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/connectorProcess.js');

type Value = Record<string, any>;
const PARTITIONS = 4;

describe('connector with the simulator (real broker, real HTTP)', () => {
  let kafka: Kafka;
  let topics: ConnectorTopics;
  let simulator: Simulator;
  let producer: KafkaProducer;
  let results: ConsumedCollector;
  let events: ConsumedCollector;
  let dir: string;
  const codec = AvroCodec.load();
  const sessionKey = randomBytes(32);
  const box = new SecretBox(sessionKey);
  const groupId = freshGroup('connectors');
  const fatal: unknown[] = [];
  const connectors: Connector[] = [];

  async function startConnector(): Promise<Connector> {
    const logger = testLogger('connector');
    const connector = await Connector.start({
      kafka,
      groupId,
      logger,
      sessionTimeoutMs: 6_000,
      onFatal: (error) => fatal.push(error),
      environment: {
        codec,
        topics,
        driver: new SimulatorDriver({ baseUrl: simulator.url, logger }),
        media: new FileMediaStore(join(dir, 'media')),
        pacer: new SendPacer({ pacing: { capacity: 100, refillPerSecond: 100 } }),
        box,
        logger,
        now: Date.now,
        connectWaitMs: 5_000,
      },
    });
    connectors.push(connector);
    return connector;
  }

  async function command(accountId: string, type: string, payloadName: string, payload: Value, options: { commandId?: string; deadline?: number } = {}): Promise<string> {
    const commandId = options.commandId ?? randomUUID();
    const now = Date.now();
    const value = codec.encode('wa.commands.Command', {
      commandId,
      accountId,
      type,
      issuedAt: now,
      deadline: options.deadline ?? now + 60_000,
      correlationId: `test-${commandId}`,
      idempotencyKey: null,
      requestedBy: 'admin',
      payload: { [`wa.commands.${payloadName}`]: payload },
    });
    await producer.send(topics.commands, [{ accountId, value, headers: recordHeaders({ id: commandId, type, source: 'test', time: now }) }]);
    return commandId;
  }

  function decoded(records: readonly ConsumedRecord[]): Value[] {
    return records.filter((r) => r.value).map((r) => codec.decode<Value>(r.value!).value);
  }

  async function resultsFor(commandId: string, count = 1): Promise<Value[]> {
    return waitFor(() => {
      const found = decoded(results.records).filter((r) => r.commandId === commandId);
      return found.length >= count ? found : null;
    }, `${count} result(s) of ${commandId}`);
  }

  async function event(predicate: (e: Value) => boolean, description: string): Promise<Value> {
    return waitFor(() => decoded(events.records).find(predicate), description);
  }

  async function sim(path: string, body: Value): Promise<Value> {
    const response = await fetch(`${simulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
    return (await response.json()) as Value;
  }

  async function linkedAccount(accountId: string, phone: string): Promise<void> {
    const created = await resultsFor(await command(accountId, 'account.create', 'CreateAccount', { name: accountId }));
    assert.equal(created[0]!.status, 'SUCCEEDED');
    const connected = await resultsFor(await command(accountId, 'account.connect', 'ConnectAccount', { method: 'QR' }));
    assert.equal(connected[0]!.status, 'SUCCEEDED');
    assert.equal(connected[0]!.result['wa.commands.ConnectResult'].state, 'QR');
    assert.ok(connected[0]!.result['wa.commands.ConnectResult'].qr);
    await sim('/sim/link', { accountId, phone });
    await event((e) => e.accountId === accountId && e.type === 'connection.state' && e.data['wa.account.ConnectionStateChanged'].state === 'CONNECTED', `${accountId} connected`);
  }

  function textOf(e: Value): string | undefined {
    return e.data['wa.conversation.MessageRecorded']?.message.content['wa.conversation.TextContent']?.text;
  }

  before(async () => {
    kafka = testKafka();
    dir = await mkdtemp(join(tmpdir(), 'wa-connector-'));
    topics = {
      commands: await freshTopic(kafka, 'commands', { partitions: PARTITIONS }),
      commandResults: await freshTopic(kafka, 'results', { partitions: PARTITIONS }),
      conversation: await freshTopic(kafka, 'conversation', { partitions: PARTITIONS }),
      account: await freshTopic(kafka, 'account', { partitions: PARTITIONS }),
      presence: await freshTopic(kafka, 'presence', { partitions: PARTITIONS }),
      sessionState: await freshTopic(kafka, 'session', { partitions: PARTITIONS, cleanup: 'compact', key: 'entry' }),
    };
    simulator = await createSimulator({ dataDir: dir, port: 0, host: '127.0.0.1', logger: testLogger('simulator'), visibilityTimeoutMs: 2_000 });
    producer = await KafkaProducer.connect(kafka, testLogger());
    results = await ConsumedCollector.start(kafka, [topics.commandResults.name]);
    events = await ConsumedCollector.start(kafka, [topics.conversation.name, topics.account.name]);
    await startConnector();
  });

  after(async () => {
    for (const connector of connectors) await connector.stop();
    await results?.stop();
    await events?.stop();
    await producer?.disconnect();
    await simulator?.close();
    await rm(dir, { recursive: true, force: true });
    assert.deepEqual(fatal, []);
  });

  it('given a new account, when it is created, connected and linked, then inbound and sent messages are on Kafka with correct envelopes', async () => {
    await linkedAccount('acme-1', '15550001111');
    await sim('/sim/inbound', { accountId: 'acme-1', from: '15550002222', text: 'hello there' });
    const received = await event((e) => e.type === 'message.received' && e.accountId === 'acme-1', 'message.received');
    assert.equal(received.chatJid, '15550002222@s.whatsapp.net');
    assert.equal(received.source, 'LIVE');
    assert.equal(received.driver, 'simulator');
    assert.equal(textOf(received), 'hello there');

    const sendId = await command('acme-1', 'message.send', 'SendMessage', { to: '15550002222@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'hi back' } } });
    const [sent] = await resultsFor(sendId);
    assert.equal(sent!.status, 'SUCCEEDED', JSON.stringify(sent!.error));
    const messageId = sent!.result['wa.commands.MessageSentResult'].messageId as string;
    const sentEvent = await event((e) => e.type === 'message.sent' && e.causationId === sendId, 'message.sent');
    assert.equal(sentEvent.source, 'COMMAND');
    assert.equal(textOf(sentEvent), 'hi back');
    assert.deepEqual(sent!.eventIds, [sentEvent.eventId]);
    const outbox = (await (await fetch(`${simulator.url}/sim/outbox?accountId=acme-1`)).json()) as Value;
    assert.deepEqual(outbox.messages.map((m: Value) => m.messageId), [messageId]);

    // Every event of the account carries gap-free sequences per topic.
    for (const type of ['account', 'conversation']) {
      const topicName = type === 'account' ? topics.account.name : topics.conversation.name;
      const sequences = events.records.filter((r) => r.topic === topicName && r.key === 'acme-1').map((r) => Number(codec.decode<Value>(r.value!).value.sequence));
      assert.deepEqual(sequences, sequences.map((_, i) => i + 1), `${type} sequences`);
    }
  });

  it('given the same command id twice, then it runs once and the second answer is the first result, replayed', async () => {
    const commandId = randomUUID();
    await command('acme-1', 'message.send', 'SendMessage', { to: '15550003333@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'once' } } }, { commandId });
    await resultsFor(commandId);
    await command('acme-1', 'message.send', 'SendMessage', { to: '15550003333@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'once' } } }, { commandId });
    const [first, second] = await resultsFor(commandId, 2);
    assert.equal(first!.replayed, false);
    assert.equal(second!.replayed, true);
    assert.deepEqual(second!.result, first!.result);
    const outbox = (await (await fetch(`${simulator.url}/sim/outbox?accountId=acme-1&to=15550003333`)).json()) as Value;
    assert.equal(outbox.messages.length, 1);
  });

  it('given a command past its deadline, then it is not executed and reports EXPIRED', async () => {
    const commandId = await command('acme-1', 'message.send', 'SendMessage', { to: '15550004444@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'late' } } }, { deadline: Date.now() - 1 });
    const [result] = await resultsFor(commandId);
    assert.equal(result!.status, 'EXPIRED');
    assert.equal(result!.error.code, 'DEADLINE_EXCEEDED');
    const outbox = (await (await fetch(`${simulator.url}/sim/outbox?accountId=acme-1&to=15550004444`)).json()) as Value;
    assert.equal(outbox.messages.length, 0);
  });

  it('given invariants, then a duplicate account and a send on an unknown account are rejected', async () => {
    const [duplicate] = await resultsFor(await command('acme-1', 'account.create', 'CreateAccount', { name: 'again' }));
    assert.equal(duplicate!.status, 'REJECTED');
    const [unknown] = await resultsFor(await command('nobody', 'message.send', 'SendMessage', { to: '15550004444@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'x' } } }));
    assert.equal(unknown!.status, 'REJECTED');
  });

  /** Linked accounts, one on every partition. */
  async function accountsOnEveryPartition(prefix: string, phonePrefix: string): Promise<string[]> {
    const accounts: string[] = [];
    for (let i = 0; accounts.length < PARTITIONS; i += 1) {
      const id = `${prefix}-${i}`;
      if (!accounts.some((a) => partitionForAccount(a, PARTITIONS) === partitionForAccount(id, PARTITIONS))) accounts.push(id);
    }
    for (const [i, accountId] of accounts.entries()) await linkedAccount(accountId, `${phonePrefix}${i}`);
    return accounts;
  }

  let pings = 0;
  /** One inbound message to each account; returns their texts. */
  async function inboundAll(accounts: readonly string[]): Promise<string[]> {
    const texts: string[] = [];
    for (const accountId of accounts) {
      const text = `ping ${(pings += 1)}`;
      texts.push(text);
      await sim('/sim/inbound', { accountId, from: '15552220000', text });
    }
    return texts;
  }

  async function expectArrived(texts: readonly string[]): Promise<void> {
    await waitFor(() => texts.every((t) => decoded(events.records).some((e) => e.type === 'message.received' && textOf(e) === t)), `inbound ${texts.join(', ')}`);
  }

  it('given a second connector, then accounts split between them; when one stops, the survivor resumes its accounts without losing an inbound message', async () => {
    const accounts = await accountsOnEveryPartition('team', '155510000');
    const [first] = connectors;
    const second = await startConnector();
    await waitFor(async () => {
      await first!.settled();
      await second.settled();
      const a = first!.ownedPartitions();
      const b = second.ownedPartitions();
      return a.length > 0 && b.length > 0 && a.length + b.length === PARTITIONS && a.every((p) => !b.includes(p));
    }, 'the partitions split between two connectors');
    const movedTo = await second.ownedAccounts();
    assert.ok(movedTo.length > 0, 'the second connector runs some accounts');

    await expectArrived(await inboundAll(accounts));

    // Messages that arrive while the second connector goes away are delivered by the survivor.
    const whileMoving = await inboundAll(accounts);
    await second.stop();
    connectors.splice(connectors.indexOf(second), 1);
    await waitFor(async () => {
      await first!.settled();
      return first!.ownedPartitions().length === PARTITIONS;
    }, 'the survivor owns every partition');
    await expectArrived(whileMoving);
    await expectArrived(await inboundAll(accounts));
    const sendId = await command(movedTo[0]!, 'message.send', 'SendMessage', { to: '15552220000@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'still here' } } });
    const [sent] = await resultsFor(sendId);
    assert.equal(sent!.status, 'SUCCEEDED', JSON.stringify(sent!.error));
  });

  it('given a connector killed with SIGKILL, then its accounts resume on the survivor and no inbound message is lost', async () => {
    const accounts = await accountsOnEveryPartition('crew', '155520000');
    const [survivor] = connectors;
    const doomed = JsonLinesChild.node(connectorProcess, {
      GROUP: groupId,
      TOPICS: JSON.stringify(topics),
      SIM_URL: simulator.url,
      SESSION_KEY: sessionKey.toString('hex'),
      DATA_DIR: dir,
    });
    try {
      await waitFor(() => {
        const owned = doomed.events('owned').at(-1)?.['partitions'] as number[] | undefined;
        return owned && owned.length > 0 && owned.length + survivor!.ownedPartitions().length === PARTITIONS;
      }, 'the child connector owning some partitions');
      await expectArrived(await inboundAll(accounts));
      const beforeKill = await inboundAll(accounts);
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      const afterKill = await inboundAll(accounts);
      await waitFor(async () => {
        await survivor!.settled();
        return survivor!.ownedPartitions().length === PARTITIONS;
      }, 'the survivor owning every partition after the kill');
      await expectArrived([...beforeKill, ...afterKill]);
      // Each inbound message is on Kafka exactly once (redelivery reuses the event id, and nothing is written twice).
      const received = decoded(events.records).filter((e) => e.type === 'message.received' && [...beforeKill, ...afterKill].includes(textOf(e)!));
      const ids = received.map((e) => e.eventId);
      assert.equal(new Set(ids).size, beforeKill.length + afterKill.length);
    } finally {
      doomed.child.kill('SIGKILL');
    }
  });
});
