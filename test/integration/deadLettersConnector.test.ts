import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { KafkaProducer } from '../../services/shared/kafka/index.js';
import { ConnectorHarness, testLogger, textReceivedEvent } from '../helpers/index.js';
import { assertDeadLetters, badValues, produceBad, type BadValue } from '../helpers/badRecords.js';

/**
 * The connector meets records it cannot read on the commands topic and on the session-state
 * topic it restores from: it does not crash, moves on, and leaves one dead letter per record
 * (with its bytes and why) in the transaction it writes anyway.
 */
describe('dead letters of the connector (real broker, simulator as WhatsApp)', () => {
  const harnesses: ConnectorHarness[] = [];
  const producers: KafkaProducer[] = [];
  after(async () => {
    for (const producer of producers) await producer.disconnect();
    for (const h of harnesses) await h.stop();
  });
  const start = async (): Promise<{ h: ConnectorHarness; producer: KafkaProducer }> => {
    const h = await ConnectorHarness.start({ partitions: 2 });
    harnesses.push(h);
    const producer = await KafkaProducer.connect(h.kafka, testLogger());
    producers.push(producer);
    return { h, producer };
  };

  it('moves past commands it cannot read, once each, and runs the next command', async () => {
    const { h, producer } = await start();
    await h.startConnector();
    const accountId = 'dlq-commands';
    const command = (commandId: string): Buffer =>
      h.codec.encode('wa.commands.Command', {
        commandId,
        accountId,
        type: 'account.create',
        issuedAt: Date.now(),
        deadline: Date.now() + 60_000,
        correlationId: 'c',
        idempotencyKey: null,
        requestedBy: 'admin',
        payload: { 'wa.commands.CreateAccount': { name: 'x' } },
      });
    const bad: BadValue[] = [
      ...badValues(command('cmd-good'), h.codec.encode('wa.conversation.ConversationEvent', textReceivedEvent(accountId, 1))),
      { name: 'command without an id', value: command(''), reason: 'INVALID' },
    ];
    const produced = await produceBad(producer, h.topics.commands, accountId, bad);

    const created = await h.run(accountId, 'account.create', 'CreateAccount', { name: 'after the bad ones' });
    assert.equal(created.status, 'SUCCEEDED', JSON.stringify(created.error));
    await assertDeadLetters(h.kafka, h.codec, h.topics.deadLetters, 'connector', h.topics.commands, produced);
    assert.deepEqual(h.fatal, []);

    // A new owner starts from the committed position: the letters are not written again.
    await h.stopConnector(h.connectors[0]!);
    await h.startConnector();
    const again = await h.run(accountId, 'account.create', 'CreateAccount', { name: 'again' });
    assert.equal(again.status, 'REJECTED');
    await assertDeadLetters(h.kafka, h.codec, h.topics.deadLetters, 'connector', h.topics.commands, produced);
    assert.deepEqual(h.fatal, []);
  });

  it('restores a partition past session-state entries it cannot read, and serves its accounts', async () => {
    const { h, producer } = await start();
    const accountId = 'dlq-ghost';
    const key = (entryId: string): string => `${accountId}/creds/${entryId}`;
    const entry = (recordKey: string, aad = recordKey): Buffer =>
      h.codec.encode('wa.session.SessionStateEntry', {
        accountId,
        kind: 'CREDS',
        rawKind: 'creds',
        entryId: recordKey.split('/')[2]!,
        ...h.box.seal('{"noiseKey":null}', aad),
        updatedAt: Date.now(),
        writerEpoch: 1,
      });
    const bad: BadValue[] = [
      ...badValues(entry(key('e0')), h.codec.encode('wa.conversation.ConversationEvent', textReceivedEvent(accountId, 1))),
      // Decodes, but was sealed for another record: someone copied or altered it.
      { name: 'sealed for another record', value: entry(key('e6'), key('other')), reason: 'INVALID' },
      { name: 'an entry of another key', value: entry(key('e0')), reason: 'INVALID' },
    ];
    const produced = await produceBad(producer, h.topics.sessionState, accountId, bad, { key: (_, i) => key(`e${i}`) });
    // The last one names entry e0 under key e7.
    assert.equal(produced.at(-1)!.key, key('e7'));

    await h.startConnector();
    const created = await h.run(accountId, 'account.create', 'CreateAccount', { name: 'ghost' });
    assert.equal(created.status, 'SUCCEEDED', JSON.stringify(created.error));
    await assertDeadLetters(h.kafka, h.codec, h.topics.deadLetters, 'connector', h.topics.sessionState, produced);
    assert.deepEqual(h.fatal, []);
  });
});
