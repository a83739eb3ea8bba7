import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOPIC, topicCatalog } from '../../services/shared/kafka/index.js';
import { repositoryRoot, runCliProcess, testBrokers, testKafka } from '../helpers/index.js';

const repoRoot = repositoryRoot();

const run = runCliProcess;

/** A copy of the project's .avsc tree with an empty history, to evolve in a test. */
function schemasCopy(): { dir: string; history: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'schemas-'));
  for (const folder of ['common', 'conversation', 'account', 'presence', 'commands', 'session', 'webhooks']) {
    cpSync(path.join(repoRoot, 'schemas', folder), path.join(dir, folder), { recursive: true });
  }
  return { dir, history: path.join(dir, 'history') };
}

function editSchema(dir: string, file: string, edit: (schema: any) => void): void {
  const target = path.join(dir, file);
  const schema = JSON.parse(readFileSync(target, 'utf8'));
  edit(schema);
  writeFileSync(target, JSON.stringify(schema, null, 2));
}

describe('wa-backbone CLI', () => {
  it('schemas check passes on the committed schemas and history', async () => {
    const result = await run(['schemas', 'check']);
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });

  it('schemas check fails on a breaking change and passes on a compatible one once locked', async () => {
    const { dir, history } = schemasCopy();
    try {
      const args = ['--dir', dir, '--history', history];
      assert.equal((await run(['schemas', 'lock', ...args])).code, 0, 'initial lock');
      assert.equal((await run(['schemas', 'check', ...args])).code, 0, 'check after lock');

      editSchema(dir, 'commands/Command.avsc', (schema) => {
        schema.fields.push({ name: 'priority', type: 'int', doc: 'a new field without a default' });
      });
      const breaking = await run(['schemas', 'check', ...args]);
      assert.equal(breaking.code, 1, breaking.stdout);
      assert.match(breaking.stdout, /wa\.commands\.Command/);
      assert.match(breaking.stdout, /priority/);
      assert.notEqual((await run(['schemas', 'lock', ...args])).code, 0, 'lock refuses an incompatible schema');

      editSchema(dir, 'commands/Command.avsc', (schema) => {
        schema.fields.at(-1).type = ['null', 'int'];
        schema.fields.at(-1).default = null;
      });
      const unrecorded = await run(['schemas', 'check', ...args]);
      assert.equal(unrecorded.code, 1, 'a changed but unrecorded schema fails the check');
      assert.match(unrecorded.stdout, /lock/);
      assert.equal((await run(['schemas', 'lock', ...args])).code, 0, 'lock records the compatible change');
      assert.equal((await run(['schemas', 'check', ...args])).code, 0, 'check after the compatible change');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replay rebuilds the read models from the log into PGlite and reports what it did', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'replay-'));
    try {
      const env = { KAFKA_BROKERS: testBrokers().join(','), DATA_DIR: dataDir };
      assert.equal((await run(['topics', 'create'], env)).code, 0);
      const result = await run(['replay'], env);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /rebuilt [\d,]+ events in/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('topics create builds the whole catalog on the broker, idempotently', async () => {
    const env = { KAFKA_BROKERS: testBrokers().join(',') };
    assert.equal((await run(['topics', 'create'], env)).code, 0);
    const again = await run(['topics', 'create'], env);
    assert.equal(again.code, 0, again.stderr);
    const admin = testKafka().admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    for (const spec of topicCatalog(12)) assert.ok(topics.includes(spec.name), `${spec.name} exists`);
    assert.ok(topics.includes(TOPIC.schemas));
  });

  it('names the variable of a bad configuration and exits 2', async () => {
    const result = await run(['topics', 'create'], { KAFKA_PARTITIONS: 'twelve' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /KAFKA_PARTITIONS/);
  });

  it('lists the catalog and refuses unknown commands and roles', async () => {
    const list = await run(['topics', 'list']);
    assert.equal(list.code, 0);
    for (const spec of topicCatalog(12)) assert.match(list.stdout, new RegExp(spec.name.replaceAll('.', '\\.')));
    assert.equal((await run(['frobnicate'])).code, 2);
    const badRole = await run(['start', 'dispatcher']);
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /usage: wa-backbone start/);
  });
});
