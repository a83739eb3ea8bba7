// Inbound ingest probe: the simulator delivers inbound messages across many accounts as fast as the
// system takes them, and the probe measures inbound → committed `message.received` on
// wa.conversation.v1, with the simulator and the connector each as its own process (started with
// the CLI: `start simulator`, `start connector`, WA_DRIVER=simulator, KAFKA_PARTITIONS=12).
// The probe links the accounts through wa.commands.v1 (account.create, account.connect,
// POST /sim/link), posts the messages, and reads wa.conversation.v1 back (read_committed) until
// every message's event is there. It prints events/s, the CPU each process spent (share of a
// core and µs per event: the figure a busy machine changes least), the ceiling those CPU costs
// allow on this machine's cores, events per Kafka transaction, and duplicate event ids (0).
//
// Usage, after `make build` (or `npx tsc -p tsconfig.json --outDir <dir>`, then <dir> for dist):
//
//   bash test/with-broker.sh 19850 .data/bench/kafka node dist/test/bench/ingestProbe.js \
//     [--accounts 100] [--messages 100000] [--batch 500] [--clients 4] [--profile <dir>] [--in-process]
//
//   --batch N     messages per `POST /sim/inbound/batch` request; 0 posts one `POST /sim/inbound`
//                 per message (the single form: about 1 ms of CPU per message on each side).
//   --clients N   requests in flight at once.
//   --profile D   writes D/simulator.cpuprofile and D/connector.cpuprofile (node --cpu-prof),
//                 for Chrome DevTools or any .cpuprofile viewer.
//   --in-process  runs the connector and the simulator inside the probe (ConnectorHarness, fresh
//                 topics), as test/bench/connectorBench.ts does.
//
// Any broker works (KAFKA_BROKERS): each run uses its own account ids and DATA_DIR, and the
// session key comes from SESSION_ENCRYPTION_KEY or a fixed bench key. The whole run (linking 100
// accounts, then 100,000 messages) takes 1 to 3 minutes on 2 cores.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Kafka } from 'kafkajs';
import { AvroCodec } from '../../schemas/index.js';
import { connectorTopics } from '../../services/connector/index.js';
import { ConsumerRunner, KafkaProducer, recordHeaders, type ConsumedRecord } from '../../services/shared/kafka/index.js';
import { CLI_PATH, ConnectorHarness, freePort, freshGroup, testBrokers, testKafka, testLogger, waitFor, type Value } from '../helpers/index.js';
import { inParallel, isMainModule, printTable, type Figure } from './stats.js';

export interface IngestProbeOptions {
  accounts: number;
  messages: number;
  /** Requests in flight at once. */
  clients: number;
  /** Messages per request (the batch form); 0 for one request per message (the single form). */
  batch: number;
  /** Folder for CPU profiles of the simulator and the connector (separate processes only). */
  profileDir?: string;
}

/** CPU seconds (user + system) a process has used so far, from /proc; null once it is gone. */
export function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Sum of a topic's partitions' end offsets. */
async function endOffsets(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineCpu(): { busy: number; total: number; cores: number } {
  const lines = readFileSync('/proc/stat', 'utf8').split('\n');
  const fields = lines[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3]! + (fields[4] ?? 0);
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total, cores: lines.filter((line) => /^cpu\d/.test(line)).length };
}

/** Percent of the machine's cores that were busy between two readings (100 = every core). */
function machineBusy(before: { busy: number; total: number }, after: { busy: number; total: number }): number {
  return ((after.busy - before.busy) / Math.max(1, after.total - before.total)) * 100;
}

function brokerPid(): number | undefined {
  const dir = process.env.KAFKA_DATA_DIR;
  if (!dir) return undefined;
  try {
    return Number(readFileSync(path.join(dir, 'kafka.pid'), 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** Counts the committed `message.received` events of one run's accounts (keyed by account id), each event id once. */
class ReceivedTally {
  /** Account ids of the run start with this; null counts nothing yet. */
  prefix: string | null = null;
  private readonly ids = new Set<string>();
  /** Records whose event id was seen before: exactly-once says 0. */
  duplicates = 0;

  /** Every record of the run's accounts on wa.conversation.v1, whatever its type. */
  records = 0;

  add(record: ConsumedRecord): void {
    if (this.prefix === null || !record.key?.startsWith(this.prefix)) return;
    this.records += 1;
    if (record.headers['ce_type'] !== 'message.received') return;
    const id = record.headers['ce_id'] ?? '';
    if (this.ids.has(id)) this.duplicates += 1;
    else this.ids.add(id);
  }

  get count(): number {
    return this.ids.size;
  }
}

/** Where the messages go and how the rest of the system is reached; either separate processes or one harness. */
interface Stack {
  simulatorUrl: string;
  /** Creates, connects and links an account; resolves once it is connected. */
  link(accountId: string, phone: string): Promise<void>;
  /** Fed with every record of wa.conversation.v1 the stack reads. */
  tally: ReceivedTally;
  /** Reads what arrived since the last call into the tally (a no-op where records are fed as they come). */
  catchUp(): void;
  /** Sum of the end offsets of wa.conversation.v1's partitions: records plus transaction markers. */
  conversationEnd(): Promise<number>;
  pids: Record<string, number | undefined>;
  stop(): Promise<void>;
}

/** The phones that write to account `i`: 50 senders per account. */
function inboundBody(accountId: string, i: number): Value {
  return { accountId, from: `1888${String(i % 50).padStart(7, '0')}`, text: `probe message ${i}` };
}

/** Posts the messages: one per request, or `batch` per request; resolves once the simulator took them all. */
async function post(simulatorUrl: string, accounts: readonly string[], options: IngestProbeOptions): Promise<void> {
  const send = async (pathname: string, body: unknown): Promise<void> => {
    const response = await fetch(`${simulatorUrl}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status !== 200) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };
  if (options.batch <= 0) {
    const indexes = Array.from({ length: options.messages }, (_, i) => i);
    await inParallel(indexes, options.clients, (i) => send('/sim/inbound', inboundBody(accounts[i % accounts.length]!, i)));
    return;
  }
  const chunks: number[] = [];
  for (let start = 0; start < options.messages; start += options.batch) chunks.push(start);
  await inParallel(chunks, options.clients, (start) => {
    const messages: Value[] = [];
    for (let i = start; i < Math.min(options.messages, start + options.batch); i += 1) messages.push(inboundBody(accounts[i % accounts.length]!, i));
    return send('/sim/inbound/batch', { messages });
  });
}

/** Measures inbound → committed on Kafka for the given stack. */
async function measure(stack: Stack, options: IngestProbeOptions, label: string): Promise<Figure[]> {
  // Unique per run, so a broker that ran the probe before does not mix in its accounts.
  const run = randomUUID().slice(0, 8);
  const accounts = Array.from({ length: options.accounts }, (_, i) => `probe-${run}-${i}`);
  stack.tally.prefix = `probe-${run}-`;
  const linkStarted = performance.now();
  await inParallel(
    accounts.map((id, i) => ({ id, phone: `1777${String(i).padStart(7, '0')}` })),
    8,
    ({ id, phone }) => stack.link(id, phone),
  );
  const linkSeconds = (performance.now() - linkStarted) / 1000;

  const pids = { ...stack.pids, probe: process.pid, broker: brokerPid() };
  const machineBefore = machineCpu();
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const endBefore = await stack.conversationEnd();
  const recordsBefore = stack.tally.records;
  const started = performance.now();
  await post(stack.simulatorUrl, accounts, options);
  const postedSeconds = (performance.now() - started) / 1000;
  await waitFor(
    () => {
      stack.catchUp();
      return stack.tally.count >= options.messages;
    },
    `${options.messages} message.received events`,
    { timeoutMs: 900_000, intervalMs: 20 },
  );
  const seconds = (performance.now() - started) / 1000;
  // Every committed transaction leaves one marker in each partition it wrote to.
  const records = stack.tally.records - recordsBefore;
  const transactions = (await stack.conversationEnd()) - endBefore - records;
  // CPU per event is what a shared, busy machine changes least; the share of a core says who was the bottleneck.
  const spent = Object.entries(pids).flatMap(([name, pid]) => {
    const after = cpuSeconds(pid);
    const was = cpuBefore[name];
    return after === null || was === null || was === undefined ? [] : [{ name, seconds: after - was }];
  });
  const perProcess = spent.flatMap(({ name, seconds: cpu }): Figure[] => [
    { name: `${name} CPU (of one core, ${label})`, value: Math.round((cpu / seconds) * 100), unit: '%' },
    { name: `${name} CPU per event`, value: Math.round((cpu / options.messages) * 1e6), unit: 'µs' },
  ]);
  const cpuPerEvent = spent.reduce((sum, { seconds: cpu }) => sum + cpu, 0) / options.messages;
  const machineAfter = machineCpu();
  const form = options.batch > 0 ? `batches of ${options.batch}` : 'one per request';
  return [
    { name: `inbound → message.received on Kafka (${label}, ${options.messages} messages, ${options.accounts} accounts, ${form}, ${options.clients} clients)`, value: Math.round(options.messages / seconds), unit: 'events/s' },
    { name: 'inbound accepted by the simulator', value: Math.round(options.messages / postedSeconds), unit: 'msg/s' },
    { name: `linking ${options.accounts} accounts`, value: Math.round(linkSeconds * 10) / 10, unit: 's' },
    { name: 'wa.conversation.v1 records per message.received', value: Math.round((records / options.messages) * 100) / 100, unit: 'records' },
    { name: 'events per transaction (wa.conversation.v1 records per commit marker)', value: Math.round((records / Math.max(1, transactions)) * 10) / 10, unit: 'events' },
    { name: 'message.received seen twice (exactly-once says 0)', value: stack.tally.duplicates, unit: 'records' },
    ...perProcess,
    { name: `ceiling if these processes had all ${machineAfter.cores} cores (cores / their CPU per event)`, value: Math.round(machineAfter.cores / cpuPerEvent), unit: 'events/s' },
    { name: `whole machine busy (of ${machineAfter.cores} cores, every process)`, value: Math.round(machineBusy(machineBefore, machineAfter)), unit: '%' },
  ];
}

/** A role started with the CLI as its own process. */
export function startRole(role: string, env: Record<string, string>, nodeArgs: readonly string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [...nodeArgs, CLI_PATH, 'start', role], { env: { ...process.env, LOG_LEVEL: 'warn', METRICS_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => output };
}

export async function stopRole(role: { child: ChildProcess; output: () => string }, name: string): Promise<void> {
  if (role.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => role.child.once('exit', () => resolve()));
  role.child.kill('SIGTERM');
  const timer = setTimeout(() => role.child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
  if (role.child.exitCode !== 0) process.stderr.write(`${name} exited with ${role.child.exitCode ?? role.child.signalCode}:\n${role.output()}\n`);
}

/** The simulator and the connector as their own processes, on the catalog's topics. */
async function processStack(options: IngestProbeOptions): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ingest-probe-'));
  const simPort = await freePort();
  const simulatorUrl = `http://127.0.0.1:${simPort}`;
  const profile = (name: string): string[] => (options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=${name}.cpuprofile`] : []);
  // A fixed key: a broker the probe ran against before holds session state sealed with it (each run has its own DATA_DIR).
  const sessionKey = process.env.SESSION_ENCRYPTION_KEY ?? 'be'.repeat(32);
  const env = { SESSION_ENCRYPTION_KEY: sessionKey, DATA_DIR: dataDir, WA_DRIVER: 'simulator', SIM_PORT: String(simPort), SIMULATOR_URL: simulatorUrl, KAFKA_BROKERS: testBrokers().join(','), KAFKA_PARTITIONS: '12' };
  const simulator = startRole('simulator', env, profile('simulator'));
  await waitFor(async () => (await fetch(`${simulatorUrl}/sim/health`).catch(() => null))?.ok === true, 'the simulator answering', { timeoutMs: 60_000 });
  const connector = startRole('connector', env, profile('connector'));

  const kafka = testKafka();
  const codec = AvroCodec.load();
  const topics = connectorTopics(12);
  // The connector creates the topics when it starts.
  await waitFor(async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const names = await admin.listTopics();
      return [topics.commands, topics.commandResults, topics.conversation, topics.account].every((t) => names.includes(t.name));
    } finally {
      await admin.disconnect();
    }
  }, 'the connector creating the topics', { timeoutMs: 120_000 });
  const producer = await KafkaProducer.connect(kafka, testLogger());
  const results = new Map<string, Value>();
  const connected = new Set<string>();
  const tally = new ReceivedTally();
  const handle = async (batch: readonly ConsumedRecord[]): Promise<void> => {
    for (const record of batch) {
      if (record.topic === topics.conversation.name) {
        tally.add(record);
      } else if (record.topic === topics.commandResults.name) {
        if (record.value) results.set(record.headers['ce_id'] ?? '', codec.decode<Value>(record.value).value);
      } else if (record.headers['ce_type'] === 'connection.state' && record.value) {
        const event = codec.decode<Value>(record.value).value;
        if (event.data['wa.account.ConnectionStateChanged']?.state === 'CONNECTED') connected.add(String(event.accountId));
      }
    }
  };
  const runner = await ConsumerRunner.start({
    kafka,
    groupId: freshGroup('ingest-probe'),
    topics: [topics.conversation.name, topics.commandResults.name, topics.account.name],
    fromBeginning: true,
    logger: testLogger(),
    partitionsConcurrently: 12,
    handleBatch: handle,
  });

  const run = async (accountId: string, type: string, payloadName: string, payload: Value): Promise<Value> => {
    const commandId = randomUUID();
    const now = Date.now();
    const value = codec.encode('wa.commands.Command', {
      commandId,
      accountId,
      type,
      issuedAt: now,
      deadline: now + 120_000,
      correlationId: `probe-${commandId}`,
      idempotencyKey: null,
      requestedBy: 'admin',
      payload: { [`wa.commands.${payloadName}`]: payload },
    });
    await producer.send(topics.commands, [{ accountId, value, headers: recordHeaders({ id: commandId, type, source: 'probe', time: now }) }]);
    const result = await waitFor(() => results.get(commandId), `the result of ${type} for ${accountId}`, { timeoutMs: 120_000 });
    if (result.status !== 'SUCCEEDED') throw new Error(`${type} ${accountId}: ${JSON.stringify(result.error)}`);
    return result;
  };

  return {
    simulatorUrl,
    link: async (accountId, phone) => {
      await run(accountId, 'account.create', 'CreateAccount', { name: accountId });
      await run(accountId, 'account.connect', 'ConnectAccount', { method: 'QR' });
      const response = await fetch(`${simulatorUrl}/sim/link`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId, phone }) });
      if (response.status !== 200) throw new Error(`link ${accountId}: ${response.status} ${await response.text()}`);
      await waitFor(() => connected.has(accountId), `${accountId} connected`, { timeoutMs: 60_000 });
    },
    tally,
    catchUp: () => undefined,
    conversationEnd: () => endOffsets(kafka, topics.conversation.name),
    pids: { simulator: simulator.child.pid, connector: connector.child.pid },
    stop: async () => {
      await runner.stop();
      await producer.disconnect();
      await stopRole(connector, 'connector');
      await stopRole(simulator, 'simulator');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The connector and the simulator in this process (what connectorBench runs), on fresh topics. */
async function harnessStack(): Promise<Stack> {
  const h = await ConnectorHarness.start({ partitions: 12 });
  await h.startConnector();
  const conversation = h.topics.conversation.name;
  const tally = new ReceivedTally();
  let read = 0;
  return {
    simulatorUrl: h.simulator.url,
    link: (accountId, phone) => h.linkedAccount(accountId, phone),
    tally,
    catchUp: () => {
      const records = h.events.records;
      for (; read < records.length; read += 1) if (records[read]!.topic === conversation) tally.add(records[read]!);
    },
    conversationEnd: () => endOffsets(h.kafka, conversation),
    pids: {},
    stop: () => h.stop(),
  };
}

/** Links the accounts, posts the messages, and reports events/s and CPU per process. */
export async function ingestProbe(options: IngestProbeOptions & { inProcess?: boolean }): Promise<Figure[]> {
  const stack = options.inProcess ? await harnessStack() : await processStack(options);
  try {
    return await measure(stack, options, options.inProcess ? 'one process' : 'separate processes');
  } finally {
    await stack.stop();
  }
}

if (isMainModule(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      accounts: { type: 'string', default: '100' },
      messages: { type: 'string', default: '100000' },
      clients: { type: 'string', default: '4' },
      batch: { type: 'string', default: '500' },
      profile: { type: 'string' },
      'in-process': { type: 'boolean', default: false },
    },
  });
  const figures = await ingestProbe({
    accounts: Number(values.accounts),
    messages: Number(values.messages),
    clients: Number(values.clients),
    batch: Number(values.batch),
    inProcess: values['in-process'],
    ...(values.profile ? { profileDir: path.resolve(values.profile) } : {}),
  });
  printTable('Inbound ingest: simulator → connector → Kafka', figures);
  process.exit(0);
}
