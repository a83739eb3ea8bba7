import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CommandRow } from '../../projections/readModels/index.js';
import type { ApiServices, CommandAnswer, CommandRequest, CommandResultValue } from '../../services/api/ApiServices.js';
import { commandIdFor, commandStatusRoute, KafkaCommandBus, type KafkaCommandBusOptions } from '../../services/api/commands/index.js';
import type { Principal, RouteRequest } from '../../services/api/http/route.js';
import type { Connector } from '../../services/connector/index.js';
import type { CommandType } from '../../services/shared/commands/index.js';
import { WaError } from '../../services/shared/index.js';
import { ConsumedCollector, ConnectorHarness, testLogger, waitFor, type Value } from '../helpers/index.js';
import { COMMAND_OFFSET_HEADER, KafkaProducer, partitionForAccount, recordHeaders } from '../../services/shared/kafka/index.js';

/**
 * The API's command bus against the real broker and a real connector driving the simulator:
 * commands written the way the architecture says, answers matched to their requests, the wait,
 * idempotency across instances, aborts, and status() after the fact.
 */

const A = 'bus-a';
const A_PHONE = '15550400001';
const B = 'bus-b';
const B_PHONE = '15550400002';
const C_JID = '15550400003@s.whatsapp.net';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/;

describe('KafkaCommandBus (real broker, connector, simulator)', () => {
  let h: ConnectorHarness;
  let connector: Connector;
  let bus: KafkaCommandBus;
  let other: KafkaCommandBus;
  let commands: ConsumedCollector;
  let producer: KafkaProducer;
  /** The read model as far as these tests need it: rows put here by hand. */
  const projected = new Map<string, CommandRow>();
  const started: KafkaCommandBus[] = [];
  let requests = 0;

  async function startBus(instance: string, options: Partial<KafkaCommandBusOptions> = {}): Promise<KafkaCommandBus> {
    const started_ = await KafkaCommandBus.start({
      kafka: h.kafka,
      codec: h.codec,
      topics: { commands: h.topics.commands, commandResults: h.topics.commandResults },
      instanceId: `${instance}-${randomUUID()}`,
      logger: testLogger('api'),
      reads: { command: async (commandId) => projected.get(commandId) ?? null },
      waitMs: 30_000,
      ttlMs: 120_000,
      ...options,
    });
    started.push(started_);
    return started_;
  }

  function request(type: CommandType, payloadName: string, payload: Value, extra: Partial<CommandRequest> = {}): CommandRequest {
    requests += 1;
    return {
      accountId: A,
      type,
      payload: { [`wa.commands.${payloadName}`]: payload } as unknown as CommandRequest['payload'],
      requestId: `req-${requests}-${randomUUID()}`,
      idempotencyKey: null,
      requestedBy: 'admin',
      ...extra,
    };
  }

  const text = (body: string): Value => ({ to: C_JID, content: { 'wa.conversation.TextContent': { text: body } } });

  function completed(answer: CommandAnswer, status = 'SUCCEEDED'): CommandResultValue {
    assert.equal(answer.kind, 'completed', JSON.stringify(answer));
    if (answer.kind !== 'completed') throw new Error('unreachable');
    assert.equal(answer.result.status, status, JSON.stringify(answer.result.error));
    return answer.result;
  }

  async function outboxTexts(body: string, accountId = A): Promise<number> {
    const { messages } = await h.simGet(`/sim/outbox?accountId=${accountId}`);
    return (messages as Value[]).filter((m) => JSON.stringify(m).includes(body)).length;
  }

  const connectedEvents = (): number =>
    h.allEvents().filter((e) => e.accountId === A && e.type === 'connection.state' && e.data['wa.account.ConnectionStateChanged'].state === 'CONNECTED').length;

  /** Starts the connector again and waits until it has A's session connected anew. */
  async function restartConnector(): Promise<void> {
    const before = connectedEvents();
    connector = await h.startConnector();
    await waitFor(() => connectedEvents() > before, 'A connected again', { timeoutMs: 60_000 });
  }

  before(async () => {
    h = await ConnectorHarness.start({ partitions: 3 });
    connector = await h.startConnector();
    commands = await ConsumedCollector.start(h.kafka, [h.topics.commands.name]);
    producer = await KafkaProducer.connect(h.kafka, testLogger());
    bus = await startBus('api-a');
    other = await startBus('api-b');
  });

  after(async () => {
    for (const b of started) await b.stop();
    await commands?.stop();
    await producer?.disconnect();
    await h?.stop();
    assert.deepEqual(h?.fatal, []);
  });

  it('account.create, connect and message.send: completed answers, each with its own result', async () => {
    const createRequest = request('account.create', 'CreateAccount', { name: 'Bus A' });
    const created = completed(await bus.send(createRequest));
    assert.match(created.commandId, UUID);
    assert.equal(created.correlationId, createRequest.requestId);
    assert.equal(created.accountId, A);
    assert.deepEqual(Object.keys(created.result ?? {}), ['wa.commands.AccountResult']);

    const connected = completed(await bus.send(request('account.connect', 'ConnectAccount', { method: 'QR' })));
    assert.equal((connected.result?.['wa.commands.ConnectResult'] as Value).state, 'QR');
    await h.sim('/sim/link', { accountId: A, phone: A_PHONE });
    await h.event((e) => e.accountId === A && e.type === 'connection.state' && e.data['wa.account.ConnectionStateChanged'].state === 'CONNECTED', 'A connected');

    const sendRequest = request('message.send', 'SendMessage', text('hello from the bus'));
    const sent = completed(await bus.send(sendRequest));
    const messageId = (sent.result?.['wa.commands.MessageSentResult'] as Value).messageId as string;
    assert.ok(messageId);
    assert.equal(await outboxTexts('hello from the bus'), 1);

    // The command record itself: key, partition, headers and fields as the architecture fixes them.
    const [record] = await waitFor(() => {
      const found = commands.records.filter((r) => r.headers['ce_id'] === sent.commandId);
      return found.length > 0 ? found : null;
    }, 'the message.send command record');
    assert.equal(record!.key, A);
    assert.equal(record!.partition, partitionForAccount(A, h.topics.commands.partitions));
    assert.equal(record!.headers['ce_type'], 'message.send');
    assert.equal(record!.headers['ce_source'], 'wa-backbone/api');
    assert.equal(record!.headers['content-type'], 'application/avro');
    assert.match(record!.headers['traceparent'] ?? '', TRACEPARENT);
    const command = h.codec.decode<Value>(record!.value!, 'wa.commands.Command').value;
    assert.equal(command.commandId, sent.commandId);
    assert.equal(command.correlationId, sendRequest.requestId);
    assert.equal(command.requestedBy, 'admin');
    assert.equal(command.idempotencyKey, null);
    assert.equal(command.deadline - command.issuedAt, 120_000);
  });

  it('a wait that runs out answers pending; the command still runs and status() later has its result', async () => {
    const impatient = await startBus('api-impatient', { waitMs: 300 });
    await h.stopConnector(connector);
    const answer = await impatient.send(request('account.update', 'UpdateAccount', { name: 'Bus A renamed' }));
    assert.equal(answer.kind, 'pending');
    if (answer.kind !== 'pending') return;
    assert.equal(await impatient.status(answer.commandId), 'pending', 'sent here and not answered yet');
    assert.equal(await other.status(answer.commandId), null, 'another instance knows nothing of it yet');

    await restartConnector();
    const result = await waitFor(async () => {
      const status = await impatient.status(answer.commandId);
      return typeof status === 'object' ? status : null;
    }, 'the result of the pending command', { timeoutMs: 60_000 });
    assert.equal(result.status, 'SUCCEEDED', JSON.stringify(result.error));
    assert.equal((result.result?.['wa.commands.AccountResult'] as Value).name, 'Bus A renamed');
    assert.deepEqual(await other.status(answer.commandId), result, 'every instance keeps the results it sees');
  });

  it('the same Idempotency-Key from the same client is the same command: the first result, replayed, from any instance', async () => {
    const key = `order-${randomUUID()}`;
    const first = completed(await bus.send(request('message.send', 'SendMessage', text(`idempotent ${key}`), { idempotencyKey: key })));
    assert.equal(first.commandId, commandIdFor('admin', A, key));
    assert.equal(first.replayed, false);

    const again = completed(await bus.send(request('message.send', 'SendMessage', text(`idempotent ${key}`), { idempotencyKey: key })));
    const elsewhere = completed(await other.send(request('message.send', 'SendMessage', text(`idempotent ${key}`), { idempotencyKey: key })));
    for (const replay of [again, elsewhere]) {
      assert.equal(replay.commandId, first.commandId);
      assert.equal(replay.replayed, true);
      assert.deepEqual(replay.result, first.result, 'the first result, unchanged');
    }
    assert.equal(await outboxTexts(`idempotent ${key}`), 1, 'sent once');

    const otherClient = completed(await bus.send(request('message.send', 'SendMessage', text(`idempotent ${key}`), { idempotencyKey: key, requestedBy: 'key-2' })));
    assert.notEqual(otherClient.commandId, first.commandId, "another client's key is another command");
    assert.equal(await outboxTexts(`idempotent ${key}`), 2);

    await assert.rejects(
      bus.send(request('account.update', 'UpdateAccount', { name: 'x' }, { idempotencyKey: key })),
      (error: unknown) => error instanceof WaError && error.code === 'CONFLICT' && error.field === 'Idempotency-Key',
    );
  });

  it('a command refused for now (not connected) runs when sent again with the same key, even after a connector restart; then it is settled', async () => {
    completed(await bus.send(request('account.create', 'CreateAccount', { name: 'Bus B' }, { accountId: B })));
    const key = `later-${randomUUID()}`;
    const send = (via: KafkaCommandBus): Promise<CommandAnswer> => via.send(request('message.send', 'SendMessage', text(`once connected ${key}`), { accountId: B, idempotencyKey: key }));
    const refused = completed(await send(bus), 'REJECTED');
    assert.equal(refused.error?.code, 'NOT_CONNECTED');
    assert.equal(refused.error?.retriable, true);

    // The new owner restores the results from the topic: the refusal must not come back as the answer.
    await h.stopConnector(connector);
    await restartConnector();
    completed(await bus.send(request('account.connect', 'ConnectAccount', { method: 'QR' }, { accountId: B })));
    await h.sim('/sim/link', { accountId: B, phone: B_PHONE });
    await h.event((e) => e.accountId === B && e.type === 'connection.state' && e.data['wa.account.ConnectionStateChanged'].state === 'CONNECTED', 'B connected');

    const sent = completed(await send(other));
    assert.equal(sent.commandId, refused.commandId);
    assert.equal(sent.replayed, false, 'run, not the refusal replayed');
    const again = completed(await send(bus));
    assert.equal(again.replayed, true);
    assert.deepEqual(again.result, sent.result, 'settled: the success is the answer from now on');
    assert.equal(await outboxTexts(`once connected ${key}`, B), 1, 'sent once');
    for (const via of [bus, other]) {
      const status = await via.status(sent.commandId);
      assert.ok(typeof status === 'object' && status !== null);
      assert.equal(status.status, 'SUCCEEDED', 'status() has the success, not the refusal');
    }
  });

  it("a retry's answer is the result of its own command record, not an earlier copy's that arrives after it was sent", async () => {
    const key = `copy-${randomUUID()}`;
    const commandId = commandIdFor('admin', A, key);
    await h.stopConnector(connector);
    const answer = bus.send(request('account.update', 'UpdateAccount', { department: `copy ${key}` }, { idempotencyKey: key }));
    const [record] = await waitFor(() => {
      const found = commands.records.filter((r) => r.headers['ce_id'] === commandId);
      return found.length > 0 ? found : null;
    }, 'the command record');
    // The result of an earlier copy of the same command (a first try refused for now) reaches the bus only now.
    const earlier = h.codec.encode('wa.commands.CommandResult', {
      commandId,
      accountId: A,
      type: 'account.update',
      status: 'REJECTED',
      completedAt: Date.now(),
      error: { code: 'NOT_CONNECTED', message: 'an earlier copy', retriable: true, statusCode: null, field: null },
      result: null,
      eventIds: [],
      durationMs: 1,
      correlationId: 'an-earlier-request',
      replayed: false,
    });
    await producer.send(h.topics.commandResults, [
      { accountId: A, value: earlier, headers: { ...recordHeaders({ id: commandId, type: 'account.update', source: 'test', time: Date.now() }), [COMMAND_OFFSET_HEADER]: String(BigInt(record!.offset) - 1n) } },
    ]);
    await waitFor(async () => (await bus.status(commandId)) !== 'pending', 'the earlier copy read by the bus');
    await restartConnector();
    const result = completed(await answer);
    assert.equal((result.result?.['wa.commands.AccountResult'] as Value).department, `copy ${key}`);
  });

  it('answers every request with its own result while other instances and other writers use the same topics', async () => {
    const foreign = await h.command(A, 'account.update', 'UpdateAccount', { department: 'elsewhere' });
    const sends = Array.from({ length: 6 }, (_, i) => {
      const via = i % 2 === 0 ? bus : other;
      const r = request('message.send', 'SendMessage', text(`parallel ${i}`));
      return via.send(r).then((answer) => ({ r, result: completed(answer) }));
    });
    const answers = await Promise.all(sends);
    assert.equal(new Set(answers.map((a) => a.result.commandId)).size, 6);
    for (const { r, result } of answers) assert.equal(result.correlationId, r.requestId, 'the result of this very request');
    // The result of a command no instance sent answers no request, but is still known.
    const seen = await waitFor(async () => {
      const status = await bus.status(foreign);
      return typeof status === 'object' ? status : null;
    }, 'the foreign command result');
    assert.equal(seen.correlationId, `test-${foreign}`);
  });

  it('a client that goes away stops the wait at once; the command still runs', async () => {
    const controller = new AbortController();
    const startedAt = Date.now();
    const answering = bus.send(request('message.send', 'SendMessage', text('sent after the client left'), { signal: controller.signal }));
    controller.abort();
    const answer = await answering;
    assert.equal(answer.kind, 'pending');
    assert.ok(Date.now() - startedAt < 10_000, 'did not wait for the result');
    if (answer.kind !== 'pending') return;
    const result = await waitFor(async () => {
      const status = await bus.status(answer.commandId);
      return typeof status === 'object' ? status : null;
    }, 'the result of the abandoned command');
    assert.equal(result.status, 'SUCCEEDED');
    assert.equal(await outboxTexts('sent after the client left'), 1);
  });

  it('status() falls back to the read model, and knows nothing of unknown ids', async () => {
    projected.set('projected-1', {
      commandId: 'projected-1',
      accountId: A,
      type: 'chat.archive',
      status: 'FAILED',
      completedAt: 1_700_000_000_000,
      error: { code: 'WHATSAPP_ERROR', message: 'boom', retriable: true, field: null },
      result: null,
    });
    const status = await bus.status('projected-1');
    assert.ok(typeof status === 'object' && status !== null);
    assert.equal(status.status, 'FAILED');
    assert.deepEqual(status.error, { code: 'WHATSAPP_ERROR', message: 'boom', retriable: true, field: null, statusCode: null });
    assert.equal(await bus.status(randomUUID()), null);
  });

  it('GET /commands/:commandId answers the result, pending (202), 404, and 403 to another account', async () => {
    const services = { commands: bus } as unknown as ApiServices;
    const call = (commandId: string, principal: Principal) =>
      commandStatusRoute.handler(
        { params: { commandId }, query: {}, body: {}, accountId: '', principal, requestId: 'r', idempotencyKey: null, files: [], headers: {}, signal: new AbortController().signal } as RouteRequest<{ commandId: string }, unknown, unknown>,
        services,
      );
    const sent = completed(await bus.send(request('message.send', 'SendMessage', text('status route'))));
    const admin: Principal = { kind: 'admin', keyId: 'admin' };
    const ok = await call(sent.commandId, admin);
    assert.equal(ok.kind, 'json');
    assert.deepEqual((ok as { body: Value }).body.status, 'succeeded');
    assert.equal((ok as { body: Value }).body.accountId, A);
    const own = await call(sent.commandId, { kind: 'account', keyId: 'k', accountId: A });
    assert.equal((own as { body: Value }).body.commandId, sent.commandId);
    await assert.rejects(call(sent.commandId, { kind: 'account', keyId: 'k', accountId: 'someone-else' }), (e: unknown) => e instanceof WaError && e.code === 'FORBIDDEN');
    await assert.rejects(call(sent.commandId, { kind: 'anonymous' }), (e: unknown) => e instanceof WaError && e.code === 'UNAUTHORIZED');
    await assert.rejects(call(randomUUID(), admin), (e: unknown) => e instanceof WaError && e.code === 'NOT_FOUND');

    const impatient = await startBus('api-route', { waitMs: 1 });
    await h.stopConnector(connector);
    try {
      const answer = await impatient.send(request('account.update', 'UpdateAccount', { department: 'pending' }));
      assert.equal(answer.kind, 'pending');
      if (answer.kind !== 'pending') return;
      const pending = await commandStatusRoute.handler(
        { params: { commandId: answer.commandId }, principal: admin } as RouteRequest<{ commandId: string }, unknown, unknown>,
        { commands: impatient } as unknown as ApiServices,
      );
      assert.deepEqual(pending, { kind: 'json', status: 202, body: { commandId: answer.commandId, status: 'pending' }, headers: { 'Retry-After': '1' } });
    } finally {
      await restartConnector();
    }
  });
});
