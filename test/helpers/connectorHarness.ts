import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { AvroCodec } from '../../schemas/index.js';
import { Connector, connectorKafka, type ConnectorOptions, type ConnectorTopics } from '../../services/connector/index.js';
import type { Logger } from '../../services/shared/index.js';
import type { MediaStore } from '../../services/shared/media/index.js';
import { SimulatorDriver, type Fetch } from '../../services/connector/drivers/simulator/index.js';
import { SendPacer } from '../../services/connector/pacing/index.js';
import { KafkaProducer, recordHeaders, type ConsumedRecord } from '../../services/shared/kafka/index.js';
import { FileMediaStore } from '../../services/shared/media/index.js';
import { fetchPublic } from '../../services/shared/net/index.js';
import { SecretBox } from '../../services/shared/secrets/index.js';
import { createSimulator, type Simulator } from '../../services/simulator/index.js';
import { freshGroup, freshTopic, testBrokers, testKafka, testLogger } from './broker.js';
import { ConsumedCollector } from './collector.js';
import { waitFor } from './waitFor.js';

/** What a test connector runs with: the simulator as WhatsApp, pacing loose enough for bursts. */
export function simulatorEnvironment(options: {
  codec: AvroCodec;
  topics: ConnectorTopics;
  simulatorUrl: string;
  media: MediaStore;
  box: SecretBox;
  logger: Logger;
  fetch?: Fetch;
}): ConnectorOptions['environment'] {
  const { codec, topics, media, box, logger } = options;
  return {
    codec,
    topics,
    driver: new SimulatorDriver({ baseUrl: options.simulatorUrl, logger, ...(options.fetch ? { fetch: options.fetch } : {}) }),
    media,
    pacer: new SendPacer({ pacing: { capacity: 100, refillPerSecond: 100 } }),
    box,
    logger,
    now: Date.now,
    connectWaitMs: 5_000,
    // Tests serve media from local HTTP servers: private targets allowed here only.
    fetchUrl: async (url) => (await fetchPublic(url, { allowPrivate: true, maxBytes: 50 * 1_048_576, field: 'content.media.mediaId' })).stream,
  };
}

/** A decoded Avro value, read loosely in assertions. */
export type Value = Record<string, any>;

/**
 * Connectors on fresh topics of the real broker, with the simulator as WhatsApp over real
 * HTTP: produce commands, read results and events back.
 */
export class ConnectorHarness {
  readonly codec = AvroCodec.load();
  readonly sessionKey = randomBytes(32);
  readonly box = new SecretBox(this.sessionKey);
  readonly groupId = freshGroup('connectors');
  readonly connectors: Connector[] = [];
  /** Errors a connector reported as fatal; a test expects none. */
  readonly fatal: unknown[] = [];

  private constructor(
    readonly kafka: Kafka,
    readonly topics: ConnectorTopics,
    readonly simulator: Simulator,
    readonly dir: string,
    readonly media: FileMediaStore,
    private readonly producer: KafkaProducer,
    readonly results: ConsumedCollector,
    readonly events: ConsumedCollector,
  ) {}

  /** Fresh topics, a simulator in a temp folder, collectors; no connector yet. */
  static async start(options: { partitions?: number } = {}): Promise<ConnectorHarness> {
    const partitions = options.partitions ?? 4;
    const kafka = testKafka();
    const dir = await mkdtemp(join(tmpdir(), 'wa-connector-'));
    const topics: ConnectorTopics = {
      commands: await freshTopic(kafka, 'commands', { partitions }),
      commandResults: await freshTopic(kafka, 'results', { partitions }),
      conversation: await freshTopic(kafka, 'conversation', { partitions }),
      account: await freshTopic(kafka, 'account', { partitions }),
      presence: await freshTopic(kafka, 'presence', { partitions }),
      sessionState: await freshTopic(kafka, 'session', { partitions, cleanup: 'compact', key: 'entry' }),
      deadLetters: await freshTopic(kafka, 'dead-letters', { partitions, valueSchema: 'wa.common.DeadLetter' }),
    };
    const simulator = await createSimulator({ dataDir: dir, port: 0, host: '127.0.0.1', logger: testLogger('simulator'), visibilityTimeoutMs: 2_000 });
    const producer = await KafkaProducer.connect(kafka, testLogger());
    const results = await ConsumedCollector.start(kafka, [topics.commandResults.name]);
    const events = await ConsumedCollector.start(kafka, [topics.conversation.name, topics.account.name, topics.presence.name]);
    return new ConnectorHarness(kafka, topics, simulator, dir, new FileMediaStore(join(dir, 'media')), producer, results, events);
  }

  /** Starts one more connector in this process, in the harness's group; `fetch` lets a test come between driver and simulator. */
  async startConnector(options: { fetch?: Fetch; resultCacheSize?: number } = {}): Promise<Connector> {
    const logger = testLogger('connector');
    const connector = await Connector.start({
      kafka: connectorKafka(testBrokers(), `test-connector-${process.pid}`, logger),
      groupId: this.groupId,
      logger,
      sessionTimeoutMs: 6_000,
      onFatal: (error) => this.fatal.push(error),
      ...(options.resultCacheSize === undefined ? {} : { resultCacheSize: options.resultCacheSize }),
      environment: simulatorEnvironment({ codec: this.codec, topics: this.topics, simulatorUrl: this.simulator.url, media: this.media, box: this.box, logger, ...(options.fetch ? { fetch: options.fetch } : {}) }),
    });
    this.connectors.push(connector);
    return connector;
  }

  /** Stops one connector (graceful). */
  async stopConnector(connector: Connector): Promise<void> {
    await connector.stop();
    this.connectors.splice(this.connectors.indexOf(connector), 1);
  }

  /** Writes a command record; returns its id. */
  async command(accountId: string, type: string, payloadName: string, payload: Value, options: { commandId?: string; deadline?: number } = {}): Promise<string> {
    const commandId = options.commandId ?? randomUUID();
    const now = Date.now();
    const value = this.codec.encode('wa.commands.Command', {
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
    await this.producer.send(this.topics.commands, [{ accountId, value, headers: recordHeaders({ id: commandId, type, source: 'test', time: now }) }]);
    return commandId;
  }

  /** Decoded values of consumed records. */
  decoded(records: readonly ConsumedRecord[]): Value[] {
    return records.filter((r) => r.value).map((r) => this.codec.decode<Value>(r.value!).value);
  }

  /** Every event consumed so far, decoded. */
  allEvents(): Value[] {
    return this.decoded(this.events.records);
  }

  /** Waits for `count` results of a command. */
  async resultsFor(commandId: string, count = 1): Promise<Value[]> {
    return waitFor(() => {
      const found = this.decoded(this.results.records).filter((r) => r.commandId === commandId);
      return found.length >= count ? found : null;
    }, `${count} result(s) of ${commandId}`);
  }

  /** Runs a command and returns its (first) result. */
  async run(accountId: string, type: string, payloadName: string, payload: Value): Promise<Value> {
    const [result] = await this.resultsFor(await this.command(accountId, type, payloadName, payload));
    return result!;
  }

  /** Waits for an event matching the predicate. */
  async event(predicate: (e: Value) => boolean, description: string, timeoutMs?: number): Promise<Value> {
    return waitFor(() => this.allEvents().find(predicate), description, timeoutMs === undefined ? {} : { timeoutMs });
  }

  /** POSTs to the simulator's control API and expects 200. */
  async sim(path: string, body: Value): Promise<Value> {
    const response = await fetch(`${this.simulator.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
    return (await response.json()) as Value;
  }

  /** GETs from the simulator's control API. */
  async simGet(path: string): Promise<Value> {
    const response = await fetch(`${this.simulator.url}${path}`);
    assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
    return (await response.json()) as Value;
  }

  /** Creates an account, connects it by QR and links it to `phone` in the simulator. */
  async linkedAccount(accountId: string, phone: string, link: Value = {}): Promise<void> {
    const created = await this.run(accountId, 'account.create', 'CreateAccount', { name: accountId });
    assert.equal(created.status, 'SUCCEEDED', JSON.stringify(created.error));
    const connected = await this.run(accountId, 'account.connect', 'ConnectAccount', { method: 'QR' });
    assert.equal(connected.status, 'SUCCEEDED', JSON.stringify(connected.error));
    assert.equal(connected.result['wa.commands.ConnectResult'].state, 'QR');
    assert.ok(connected.result['wa.commands.ConnectResult'].qr);
    await this.sim('/sim/link', { accountId, phone, ...link });
    await this.event(
      (e) => e.accountId === accountId && e.type === 'connection.state' && e.data['wa.account.ConnectionStateChanged'].state === 'CONNECTED',
      `${accountId} connected`,
    );
  }

  /** Stops everything and removes the temp folder. */
  async stop(): Promise<void> {
    for (const connector of [...this.connectors]) await connector.stop();
    await this.results.stop();
    await this.events.stop();
    await this.producer.disconnect();
    await this.simulator.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The text of a recorded text message event, if it is one. */
export function textOf(e: Value): string | undefined {
  return e.data['wa.conversation.MessageRecorded']?.message.content['wa.conversation.TextContent']?.text;
}
