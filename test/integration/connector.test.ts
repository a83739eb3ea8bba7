import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { partitionForAccount } from '../../services/shared/kafka/index.js';
import { ConnectorHarness, JsonLinesChild, textOf, waitFor, type Value } from '../helpers/index.js';

const connectorProcess = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/connectorProcess.js');
const PARTITIONS = 4;

describe('connector with the simulator (real broker, real HTTP)', () => {
  let h: ConnectorHarness;

  before(async () => {
    h = await ConnectorHarness.start({ partitions: PARTITIONS });
    await h.startConnector();
  });

  after(async () => {
    await h?.stop();
    assert.deepEqual(h?.fatal, []);
  });

  async function outboxOf(query: string): Promise<Value[]> {
    return (await h.simGet(`/sim/outbox?${query}`)).messages as Value[];
  }

  it('given a new account, when it is created, connected and linked, then inbound and sent messages are on Kafka with correct envelopes', async () => {
    await h.linkedAccount('acme-1', '15550001111');
    await h.sim('/sim/inbound', { accountId: 'acme-1', from: '15550002222', text: 'hello there' });
    const received = await h.event((e) => e.type === 'message.received' && e.accountId === 'acme-1', 'message.received');
    assert.equal(received.chatJid, '15550002222@s.whatsapp.net');
    assert.equal(received.source, 'LIVE');
    assert.equal(received.driver, 'simulator');
    assert.equal(textOf(received), 'hello there');

    const sendId = await h.command('acme-1', 'message.send', 'SendMessage', { to: '15550002222@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'hi back' } } });
    const [sent] = await h.resultsFor(sendId);
    assert.equal(sent!.status, 'SUCCEEDED', JSON.stringify(sent!.error));
    const messageId = sent!.result['wa.commands.MessageSentResult'].messageId as string;
    const sentEvent = await h.event((e) => e.type === 'message.sent' && e.causationId === sendId, 'message.sent');
    assert.equal(sentEvent.source, 'COMMAND');
    assert.equal(textOf(sentEvent), 'hi back');
    assert.deepEqual(sent!.eventIds, [sentEvent.eventId]);
    const outbox = { messages: await outboxOf('accountId=acme-1') };
    assert.deepEqual(outbox.messages.map((m: Value) => m.messageId), [messageId]);

    // Every event of the account carries gap-free sequences per topic.
    for (const type of ['account', 'conversation']) {
      const topicName = type === 'account' ? h.topics.account.name : h.topics.conversation.name;
      const sequences = h.events.records.filter((r) => r.topic === topicName && r.key === 'acme-1').map((r) => Number(h.codec.decode<Value>(r.value!).value.sequence));
      assert.deepEqual(sequences, sequences.map((_, i) => i + 1), `${type} sequences`);
    }
  });

  it('given the same command id twice, then it runs once and the second answer is the first result, replayed', async () => {
    const commandId = randomUUID();
    await h.command('acme-1', 'message.send', 'SendMessage', { to: '15550003333@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'once' } } }, { commandId });
    await h.resultsFor(commandId);
    await h.command('acme-1', 'message.send', 'SendMessage', { to: '15550003333@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'once' } } }, { commandId });
    const [first, second] = await h.resultsFor(commandId, 2);
    assert.equal(first!.replayed, false);
    assert.equal(second!.replayed, true);
    assert.deepEqual(second!.result, first!.result);
    const outbox = { messages: await outboxOf('accountId=acme-1&to=15550003333') };
    assert.equal(outbox.messages.length, 1);
  });

  it('given a command past its deadline, then it is not executed and reports EXPIRED', async () => {
    const commandId = await h.command('acme-1', 'message.send', 'SendMessage', { to: '15550004444@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'late' } } }, { deadline: Date.now() - 1 });
    const [result] = await h.resultsFor(commandId);
    assert.equal(result!.status, 'EXPIRED');
    assert.equal(result!.error.code, 'DEADLINE_EXCEEDED');
    const outbox = { messages: await outboxOf('accountId=acme-1&to=15550004444') };
    assert.equal(outbox.messages.length, 0);
  });

  it('given invariants, then a duplicate account and a send on an unknown account are rejected', async () => {
    const [duplicate] = await h.resultsFor(await h.command('acme-1', 'account.create', 'CreateAccount', { name: 'again' }));
    assert.equal(duplicate!.status, 'REJECTED');
    const [unknown] = await h.resultsFor(await h.command('nobody', 'message.send', 'SendMessage', { to: '15550004444@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'x' } } }));
    assert.equal(unknown!.status, 'REJECTED');
  });

  /** Linked accounts, one on every partition. */
  async function accountsOnEveryPartition(prefix: string, phonePrefix: string): Promise<string[]> {
    const accounts: string[] = [];
    for (let i = 0; accounts.length < PARTITIONS; i += 1) {
      const id = `${prefix}-${i}`;
      if (!accounts.some((a) => partitionForAccount(a, PARTITIONS) === partitionForAccount(id, PARTITIONS))) accounts.push(id);
    }
    for (const [i, accountId] of accounts.entries()) await h.linkedAccount(accountId, `${phonePrefix}${i}`);
    return accounts;
  }

  let pings = 0;
  /** One inbound message to each account; returns their texts. */
  async function inboundAll(accounts: readonly string[]): Promise<string[]> {
    const texts: string[] = [];
    for (const accountId of accounts) {
      const text = `ping ${(pings += 1)}`;
      texts.push(text);
      await h.sim('/sim/inbound', { accountId, from: '15552220000', text });
    }
    return texts;
  }

  async function expectArrived(texts: readonly string[]): Promise<void> {
    await waitFor(() => texts.every((t) => h.allEvents().some((e) => e.type === 'message.received' && textOf(e) === t)), `inbound ${texts.join(', ')}`);
  }

  it('given a second connector, then accounts split between them; when one stops, the survivor resumes its accounts without losing an inbound message', async () => {
    const accounts = await accountsOnEveryPartition('team', '155510000');
    const [first] = h.connectors;
    const second = await h.startConnector();
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
    await h.stopConnector(second);
    await waitFor(async () => {
      await first!.settled();
      return first!.ownedPartitions().length === PARTITIONS;
    }, 'the survivor owns every partition');
    await expectArrived(whileMoving);
    await expectArrived(await inboundAll(accounts));
    const sendId = await h.command(movedTo[0]!, 'message.send', 'SendMessage', { to: '15552220000@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'still here' } } });
    const [sent] = await h.resultsFor(sendId);
    assert.equal(sent!.status, 'SUCCEEDED', JSON.stringify(sent!.error));
  });

  it('given a connector killed with SIGKILL, then its accounts resume on the survivor and no inbound message is lost', async () => {
    const accounts = await accountsOnEveryPartition('crew', '155520000');
    const [survivor] = h.connectors;
    const doomed = JsonLinesChild.node(connectorProcess, {
      GROUP: h.groupId,
      TOPICS: JSON.stringify(h.topics),
      SIM_URL: h.simulator.url,
      SESSION_KEY: h.sessionKey.toString('hex'),
      DATA_DIR: h.dir,
    });
    try {
      await waitFor(() => {
        const owned = doomed.events('owned').at(-1)?.['partitions'] as number[] | undefined;
        return owned && owned.length > 0 && owned.length + survivor!.ownedPartitions().length === PARTITIONS;
      }, 'the child connector owning some partitions');
      await expectArrived(await inboundAll(accounts));
      // Sends the child finished just before it dies: their results are written, the position past them maybe not.
      const owned = doomed.events('owned').at(-1)!['partitions'] as number[];
      const victim = accounts.find((a) => owned.includes(partitionForAccount(a, PARTITIONS)))!;
      const send = (text: string): Promise<string> => h.command(victim, 'message.send', 'SendMessage', { to: '15552229999@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text } } });
      const finished = await Promise.all(['last words 1', 'last words 2', 'last words 3'].map(send));
      for (const commandId of finished) await h.resultsFor(commandId);
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
      const received = h.allEvents().filter((e) => e.type === 'message.received' && [...beforeKill, ...afterKill].includes(textOf(e)!));
      const ids = received.map((e) => e.eventId);
      assert.equal(new Set(ids).size, beforeKill.length + afterKill.length);
      // A command after the takeover runs after whatever the survivor read again: each earlier send ran once, with one result.
      const [after] = await h.resultsFor(await send('after the kill'));
      assert.equal(after!.status, 'SUCCEEDED', JSON.stringify(after!.error));
      for (const commandId of finished) assert.equal(h.decoded(h.results.records).filter((r) => r.commandId === commandId).length, 1, `results of ${commandId}`);
      assert.equal((await outboxOf(`accountId=${victim}&to=15552229999`)).length, finished.length + 1, 'each send reached the network once');
    } finally {
      doomed.child.kill('SIGKILL');
    }
  });
});
