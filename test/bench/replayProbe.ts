// Replay probe: writes N events of the projection bench's traffic (test/bench/projectionBench.ts
// `produceEvents`) onto fresh topics once, then rebuilds every read model from them into a fresh
// PGlite data dir with `replayReadModels`, once per build root given, back to back: events/s,
// the probe's CPU per event (PGlite runs in this process, so that is the replay's whole cost),
// and the data dir's size afterwards. With --live, also a live ProjectionRunner from the start
// of the topics until it has caught up.
//
// Usage, after `npx tsc -p tsconfig.json --outDir <dir>`:
//
//   bash test/with-broker.sh 19860 .data/<you>/kafka node <dir>/test/bench/replayProbe.js \
//     [--events 200000] [--accounts 100] [--roots <build dir>,<build dir>] [--live]
//
//   --roots  build output folders (like <dir>) whose projections are compared on the same log;
//            default: the one this probe was built into.
//   --profile <file>  a CPU profile of the (first) replay alone, for Chrome DevTools or any
//            .cpuprofile viewer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ProjectorTopics } from '../../projections/runner/index.js';
import { AvroCodec } from '../../schemas/index.js';
import { freshGroup, freshTopic, testKafka, testLogger } from '../helpers/index.js';
import { produceEvents } from './projectionBench.js';
import { printTable, type Figure } from './stats.js';

type Replay = typeof import('../../projections/replay/index.js');
type Store = typeof import('../../projections/store/index.js');
type Runner = typeof import('../../projections/runner/index.js');
type ReadModels = typeof import('../../projections/readModels/index.js');

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    accounts: { type: 'string', default: '100' },
    roots: { type: 'string' },
    live: { type: 'boolean', default: false },
    profile: { type: 'string' },
  },
});
const events = Number(values.events);
const accounts = Number(values.accounts);
const ownRoot = path.resolve(import.meta.dirname, '../..');
const roots = (values.roots ?? ownRoot).split(',').map((root) => path.resolve(root));

/** The size of a PGlite data dir: its tables (base) and its write-ahead log (pg_wal). */
function sizeOf(dir: string): string {
  const [base, wal] = ['base', 'pg_wal'].map((sub) => execFileSync('du', ['-sh', path.join(dir, sub)], { encoding: 'utf8' }).split('\t')[0]!);
  return `${base} of tables, ${wal} of WAL`;
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

const kafka = testKafka();
const fresh = (role: string): Promise<ProjectorTopics['conversation']> => freshTopic(kafka, `replay-probe-${role}`, { partitions: 12 });
const topics: ProjectorTopics = { conversation: await fresh('conversation'), account: await fresh('account'), commandResults: await fresh('results'), webhookAttempts: await fresh('attempts') };
const seconds = await produceEvents(kafka, AvroCodec.load(), topics, accounts, events);
console.log(`produced ${events.toLocaleString('en-US')} events of ${accounts} accounts in ${seconds.toFixed(1)} s`);

const figures: Figure[] = [];
for (const root of roots) {
  const { replayReadModels } = (await import(path.join(root, 'projections/replay/index.js'))) as Replay;
  const { PgliteStore, READ_MODEL_SCHEMA, migrate } = (await import(path.join(root, 'projections/store/index.js'))) as Store;
  const { AvroCodec: Codec } = (await import(path.join(root, 'schemas/index.js'))) as { AvroCodec: typeof AvroCodec };
  const name = path.basename(root);
  const dir = mkdtempSync(path.join(tmpdir(), 'wa-replay-probe-'));
  try {
    const profiler = values.profile !== undefined && root === roots[0] ? new Session() : null;
    if (profiler !== null) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const cpu = cpuMicros();
    const result = await replayReadModels({
      kafka,
      topics,
      codec: Codec.load(),
      logger: testLogger('replay'),
      openStore: (schema) => PgliteStore.open({ dataDir: dir, schema }),
      liveSchema: READ_MODEL_SCHEMA,
    });
    const spent = cpuMicros() - cpu;
    if (profiler !== null) {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(values.profile!, JSON.stringify(profile));
      profiler.disconnect();
    }
    console.log(`${name}: replay ${result.events} events in ${(result.durationMs / 1000).toFixed(1)} s; data dir ${sizeOf(dir)}`);
    figures.push(
      { name: `${name}: replay into PGlite`, value: Math.round(result.events / (result.durationMs / 1000)), unit: 'events/s' },
      { name: `${name}: replay CPU per event`, value: Math.round(spent / result.events), unit: 'µs' },
    );
    if (values.live) {
      const { ProjectionRunner, readPositions } = (await import(path.join(root, 'projections/runner/index.js'))) as Runner;
      const { READ_MODEL_MIGRATIONS } = (await import(path.join(root, 'projections/readModels/index.js'))) as ReadModels;
      const liveDir = mkdtempSync(path.join(tmpdir(), 'wa-live-probe-'));
      const store = await PgliteStore.open({ dataDir: liveDir, schema: READ_MODEL_SCHEMA });
      try {
        await migrate(store, READ_MODEL_MIGRATIONS);
        let applied = 0;
        let first: { at: number; cpu: number; applied: number } | undefined;
        const runner = await ProjectionRunner.start({
          kafka,
          groupId: freshGroup('live-probe'),
          topics,
          store,
          codec: Codec.load(),
          logger: testLogger('projector'),
          onBatch: (_batch, outcome) => {
            applied += outcome.applied;
            first ??= { at: performance.now(), cpu: cpuMicros(), applied };
          },
        });
        const names = Object.values(topics).map((spec) => spec.name);
        while (applied < events) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          if ((await readPositions(store, names)).reduce((sum, p) => sum + p.nextOffset, 0) >= events) break;
        }
        const wall = (performance.now() - first!.at) / 1000;
        const liveCpu = cpuMicros() - first!.cpu;
        await runner.stop();
        figures.push(
          { name: `${name}: live projection into PGlite`, value: Math.round((events - first!.applied) / wall), unit: 'events/s' },
          { name: `${name}: live CPU per event`, value: Math.round(liveCpu / (events - first!.applied)), unit: 'µs' },
        );
        console.log(`${name}: live data dir ${sizeOf(liveDir)}`);
      } finally {
        await store.close();
        rmSync(liveDir, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
printTable(`replay probe: ${events.toLocaleString('en-US')} events, ${accounts} accounts`, figures);
process.exit(0);
