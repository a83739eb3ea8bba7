import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_EVENT_TYPES, CONVERSATION_EVENT_TYPES, type ProjectedEvent } from '../events/index.js';
import { EventFactory, everyEventType, ReadModelSpec } from './testing/index.js';

/** One sample of every event type the projector reads, each touching state the ones before built. */
const SAMPLES = everyEventType(new EventFactory('acc-1'));

describe('every read model', () => {
  let spec: ReadModelSpec;
  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(() => spec.close());

  it('has a sample of every event type', () => {
    const covered = new Set(SAMPLES.map((event) => event.type));
    for (const type of [...CONVERSATION_EVENT_TYPES, ...ACCOUNT_EVENT_TYPES, 'command.result']) assert.ok(covered.has(type as ProjectedEvent['type']), `no sample of ${type}`);
  });

  it('given the samples before it, when each event type is delivered twice, then the second delivery changes nothing', async () => {
    for (const event of SAMPLES) await spec.when(event);
  });

  it('given everything applied once, when everything is applied again in order, then nothing changes', async () => {
    await spec.reset();
    await spec.given(...SAMPLES);
    const once = await spec.snapshot();
    await spec.given(...SAMPLES);
    assert.deepEqual(await spec.snapshot(), once);
  });
});
