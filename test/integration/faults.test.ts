import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it, type TestContext } from 'node:test';
import { partitionForKey } from '../../services/shared/kafka/index.js';
import { Stack, waitFor, type StackRole, type Value } from '../helpers/index.js';
import { WebhookReceiver } from '../helpers/webhookHarness.js';

/**
 * Fault injection on the whole deployment: every role its own process, its own broker, and
 * traffic in both directions (inbound messages through the simulator, sends through the API
 * with an Idempotency-Key) while roles are killed with SIGKILL, the broker restarts, and a
 * second connector joins and then dies. After each fault the views must converge exactly:
 * the read model holds every message once in per-chat order, ClickHouse counts each once,
 * the webhook receiver got every message event (duplicates only with the same webhook-id and
 * body), and the simulated network saw every accepted send exactly once.
 *
 * The kill moments come from a seeded PRNG: FAULTS_SEED=<n> replays a run's choices.
 * FAULTS_LOG_DIR=<dir> keeps every process's whole output there.
 */

const SEED = process.env.FAULTS_SEED === undefined ? randomInt(2 ** 31) : Number(process.env.FAULTS_SEED);
const PARTITIONS = 4;
const ACCOUNTS = 4;
const CHATS_PER_ACCOUNT = 2;
/** Messages each chat sends or receives in one burst (8 chats: 48 per burst). */
const OPS_PER_CHAT = 6;
/** How long a burst's sends may keep retrying (a role restarting after SIGKILL waits out its old session). */
const SEND_DEADLINE_MS = 150_000;
const CONVERGE_MS = 150_000;
/** A role that SIGTERM stops must be gone within this (its own drain bound is 25 s; beyond it hooks are cut short). */
const DRAIN_BOUND_MS = 30_000;

/** mulberry32: a small seeded PRNG, so a failing run's choices can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Account {
  id: string;
  phone: string;
  partition: number;
  chats: Chat[];
}

interface Chat {
  accountId: string;
  phone: string;
  jid: string;
}

type Direction = 'in' | 'out';

/** One message the test made happen, and what every view must show of it. */
interface Expected {
  round: string;
  accountId: string;
  chatJid: string;
  direction: Direction;
  text: string;
  messageId: string;
}

/** What the views show at one moment. */
interface Snapshot {
  /** accountId → chatJid → messages, oldest first. */
  readModel: Map<string, Map<string, Value[]>>;
  /** accountId → the analytics overview. */
  analytics: Map<string, Value>;
  /** accountId → what the network saw the account send. */
  outbox: Map<string, Value[]>;
  /** Every acknowledged webhook request, in arrival order, with its parsed body. */
  webhooks: Array<{ id: string; body: string; parsed: Value }>;
}

/** Problems found in a snapshot: `pending` may still resolve by waiting, `final` never will. */
interface Findings {
  pending: string[];
  final: string[];
}

describe('fault injection: roles killed, the broker restarted and connectors changing under traffic', { timeout: 900_000 }, () => {
  const random = prng(SEED);
  const expected: Expected[] = [];
  /** Every text a send asked for, accepted or not: the network may carry one the API never confirmed. */
  const asked = new Set<string>();
  /** Rounds whose problems were already reported: later checks leave their messages out. */
  const reported = new Set<string>();
  /** Per account, how far the analytics counts were off when a round was reported. */
  const analyticsOffset = new Map<string, { sent: number; received: number }>();
  let stack: Stack;
  let receiver: WebhookReceiver;
  let accounts: Account[] = [];
  let sendCounter = 0;

  before(async () => {
    stack = await Stack.start({
      partitions: PARTITIONS,
      ...(process.env.FAULTS_LOG_DIR ? { logDir: process.env.FAULTS_LOG_DIR } : {}),
      env: {
        // The test's traffic, not pacing or rate limits, is what is measured.
        WA_SEND_BURST: '1000',
        WA_SEND_PER_MINUTE: '60000',
        API_RATE_LIMIT_PER_MINUTE: '1000000',
        API_RATE_LIMIT_BURST: '100000',
        // A send waiting on a restarting connector answers 202 sooner, so clients retry with their key.
        API_COMMAND_WAIT_MS: '4000',
      },
    });
    receiver = await WebhookReceiver.start();
    const hook = await stack.api('POST', '/webhooks', { url: receiver.url, events: ['message.received', 'message.sent'] });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    accounts = accountsOnEveryPartition();
    await Promise.all(accounts.map((account) => stack.link(account.id, account.phone)));
  });

  after(async () => {
    await receiver?.close();
    await stack?.stop();
  });

  /** One account on each partition, so every connector owns some whatever the assignment. */
  function accountsOnEveryPartition(): Account[] {
    const chosen = new Map<number, string>();
    for (let n = 1; chosen.size < ACCOUNTS; n += 1) {
      const id = `faults-${n}`;
      const partition = partitionForKey(id, PARTITIONS);
      if (!chosen.has(partition)) chosen.set(partition, id);
    }
    return [...chosen.entries()]
      .sort(([a], [b]) => a - b)
      .map(([partition, id], index) => {
        const phone = `1555080${index}000`;
        const chats = Array.from({ length: CHATS_PER_ACCOUNT }, (_, c) => {
          const contact = `1555081${index}00${c}`;
          return { accountId: id, phone: contact, jid: `${contact}@s.whatsapp.net` };
        });
        return { id, phone, partition, chats };
      });
  }

  function allChats(): Chat[] {
    return accounts.flatMap((account) => account.chats);
  }

  /** Context for every failure message: the seed that replays the run, and what each process said last. */
  function context(): string {
    return `(FAULTS_SEED=${SEED})\n${stack.report()}`;
  }

  async function inbound(round: string, chat: Chat, n: number): Promise<void> {
    const text = `${round}|${chat.accountId}|${chat.phone}|in|${n}`;
    const answer = await stack.sim('/sim/inbound', { accountId: chat.accountId, from: chat.phone, text });
    expected.push({ round, accountId: chat.accountId, chatJid: chat.jid, direction: 'in', text, messageId: String(answer.messageId) });
  }

  /** Sends like a careful client (Stack.command: the same Idempotency-Key until an answer); anything but 200 fails the test. */
  async function send(round: string, chat: Chat, n: number): Promise<void> {
    const text = `${round}|${chat.accountId}|${chat.phone}|out|${n}`;
    const key = `faults-${SEED}-${(sendCounter += 1)}`;
    asked.add(text);
    const answer = await stack.command('POST', `/accounts/${chat.accountId}/message/send`, { to: chat.jid, message: text }, key, SEND_DEADLINE_MS);
    if (answer.status !== 200) throw new Error(`send ${text} (key ${key}) answered ${answer.status} ${JSON.stringify(answer.body)}`);
    expected.push({ round, accountId: chat.accountId, chatJid: chat.jid, direction: 'out', text, messageId: String(answer.body.messageId) });
  }

  /** Half inbound messages, half sends, in a seeded random order. */
  function chatPlan(): Direction[] {
    const plan = Array.from({ length: OPS_PER_CHAT }, (_, i): Direction => (i % 2 === 0 ? 'in' : 'out'));
    for (let i = plan.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [plan[i], plan[j]] = [plan[j]!, plan[i]!];
    }
    return plan;
  }

  /**
   * A burst: every chat runs its own sequence of inbound messages and sends (each waits for the
   * previous one, so per-chat order is defined), all chats at once. `reached(n)` resolves once
   * n messages are done (a fault at a random point), and rejects if the burst failed first.
   */
  function burst(round: string, chats: readonly Chat[] = allChats()): { done: Promise<void>; reached: (n: number) => Promise<void>; total: number } {
    const plan = chats.map(() => chatPlan());
    let posted = 0;
    let failed = false;
    const done = Promise.all(
      chats.map(async (chat, c) => {
        for (const [n, direction] of plan[c]!.entries()) {
          if (direction === 'in') await inbound(round, chat, n);
          else await send(round, chat, n);
          posted += 1;
        }
      }),
    ).then(
      () => undefined,
      (error: unknown) => {
        failed = true;
        throw error;
      },
    );
    // Whoever awaits the burst later gets its failure; until then it is not an unhandled rejection.
    done.catch(() => undefined);
    const reached = async (n: number): Promise<void> => {
      await waitFor(() => posted >= n || failed, `${n} messages of the burst`, { timeoutMs: SEND_DEADLINE_MS });
      if (failed) await done;
    };
    return { done, reached, total: chats.length * OPS_PER_CHAT };
  }

  /** A random point of a burst: after at least one message and before the last. */
  function randomPoint(total: number): number {
    return 1 + Math.floor(random() * (total - 2));
  }

  async function messagesOf(accountId: string, chatJid: string): Promise<Value[]> {
    const all: Value[] = [];
    for (let skip = 0; ; skip += 100) {
      const answer = await stack.api('GET', `/accounts/${accountId}/chats/${chatJid}/messages?limit=100&skip=${skip}`);
      if (answer.status !== 200) throw new Error(`messages of ${chatJid}: ${answer.status} ${JSON.stringify(answer.body)}`);
      const page = answer.body.messages as Value[];
      all.push(...page);
      if (page.length < 100) break;
    }
    return all.reverse();
  }

  async function snapshot(): Promise<Snapshot> {
    const readModel = new Map<string, Map<string, Value[]>>();
    const analytics = new Map<string, Value>();
    const outbox = new Map<string, Value[]>();
    for (const account of accounts) {
      const chats = new Map<string, Value[]>();
      for (const chat of account.chats) chats.set(chat.jid, await messagesOf(account.id, chat.jid));
      readModel.set(account.id, chats);
      const overview = await stack.api('GET', `/analytics/overview?channelId=${account.id}`);
      if (overview.status !== 200) throw new Error(`analytics of ${account.id}: ${overview.status} ${JSON.stringify(overview.body)}`);
      analytics.set(account.id, overview.body.data as Value);
      outbox.set(account.id, (await stack.sim(`/sim/outbox?accountId=${account.id}`)).messages as Value[]);
    }
    const webhooks = receiver.acknowledged().map((request) => ({ id: request.id, body: request.body, parsed: JSON.parse(request.body) as Value }));
    return { readModel, analytics, outbox, webhooks };
  }

  /** Every difference between what the test made happen and what the views show. */
  function findings(view: Snapshot): Findings {
    const pending: string[] = [];
    const final: string[] = [];
    const wanted = expected.filter((m) => !reported.has(m.round));
    const skipped = new Set(expected.filter((m) => reported.has(m.round)).map((m) => m.messageId));
    const byId = new Map(expected.map((m) => [m.messageId, m]));

    // The read model: each message once, nothing unknown, per-chat order of each direction as sent.
    for (const account of accounts) {
      for (const chat of account.chats) {
        const rows = view.readModel.get(account.id)!.get(chat.jid)!;
        const counts = new Map<string, number>();
        for (const row of rows) counts.set(String(row.messageId), (counts.get(String(row.messageId)) ?? 0) + 1);
        for (const [id, count] of counts) {
          if (skipped.has(id)) continue;
          const message = byId.get(id);
          if (message === undefined) final.push(`read model: unknown message ${id} in ${account.id}/${chat.jid}`);
          else if (count > 1) final.push(`read model: ${message.text} (${id}) ${count} times`);
          else {
            const row = rows.find((r) => r.messageId === id)!;
            if (row.text !== message.text || row.fromMe !== (message.direction === 'out')) final.push(`read model: ${id} reads ${JSON.stringify(row)}, expected ${message.text}`);
          }
        }
        for (const direction of ['in', 'out'] as const) {
          const sent = wanted.filter((m) => m.accountId === account.id && m.chatJid === chat.jid && m.direction === direction);
          for (const m of sent) if (!counts.has(m.messageId)) pending.push(`read model: ${m.text} (${m.messageId}) missing`);
          const present = new Set(rows.map((r) => String(r.messageId)));
          const order = sent.filter((m) => present.has(m.messageId)).map((m) => m.text);
          const shown = rows.filter((r) => sent.some((m) => m.messageId === r.messageId)).map((r) => String(r.text));
          if (JSON.stringify([...new Set(shown)]) !== JSON.stringify(order)) final.push(`read model: ${account.id}/${chat.jid} ${direction} order ${JSON.stringify(shown)}, sent as ${JSON.stringify(order)}`);
        }
      }
    }

    // ClickHouse: exactly as many sent and received messages as made, per account.
    for (const account of accounts) {
      const counts = view.analytics.get(account.id)!;
      const offset = analyticsOffset.get(account.id) ?? { sent: 0, received: 0 };
      const sent = expected.filter((m) => m.accountId === account.id && m.direction === 'out').length + offset.sent;
      const received = expected.filter((m) => m.accountId === account.id && m.direction === 'in').length + offset.received;
      for (const [name, actual, want] of [
        ['sentMessages', Number(counts.sentMessages), sent],
        ['receivedMessages', Number(counts.receivedMessages), received],
      ] as const) {
        if (actual < want) pending.push(`analytics: ${account.id} ${name} ${actual}, expected ${want}`);
        if (actual > want) final.push(`analytics: ${account.id} ${name} ${actual}, expected ${want} (counted twice)`);
      }
      if (Number(counts.totalMessages) !== Number(counts.sentMessages) + Number(counts.receivedMessages)) {
        pending.push(`analytics: ${account.id} totalMessages ${counts.totalMessages} is not sent + received`);
      }
    }

    // The network: every accepted send went out exactly once, under the id the API answered.
    for (const account of accounts) {
      const entries = view.outbox.get(account.id)!;
      for (const m of wanted.filter((w) => w.accountId === account.id && w.direction === 'out')) {
        const copies = entries.filter((e) => e.text === m.text);
        if (copies.length === 0) final.push(`network: accepted send ${m.text} never went out`);
        else if (copies.length > 1) final.push(`network: ${m.text} went out ${copies.length} times (${copies.map((c) => c.messageId).join(', ')})`);
        else if (copies[0]!.messageId !== m.messageId) final.push(`network: ${m.text} went out as ${copies[0]!.messageId}, the API answered ${m.messageId}`);
      }
      for (const entry of entries) {
        if (!asked.has(String(entry.text))) final.push(`network: ${account.id} sent ${JSON.stringify(entry.text)} that no client asked for`);
      }
    }

    // Webhooks: every message event at least once; a duplicate carries the same webhook-id and body.
    const byEvent = new Map<string, Array<{ id: string; body: string }>>();
    const eventOf = new Map<string, Set<string>>();
    for (const hook of view.webhooks) {
      const eventId = String(hook.parsed.eventId);
      const messageId = String(hook.parsed.messageId);
      byEvent.set(eventId, [...(byEvent.get(eventId) ?? []), hook]);
      eventOf.set(messageId, (eventOf.get(messageId) ?? new Set()).add(eventId));
      if (!hook.id.startsWith(eventId)) final.push(`webhooks: webhook-id ${hook.id} is not of event ${eventId}`);
      if (!byId.has(messageId)) final.push(`webhooks: unknown message ${messageId} delivered`);
    }
    for (const [eventId, copies] of byEvent) {
      if (new Set(copies.map((c) => c.id)).size > 1) final.push(`webhooks: event ${eventId} delivered under webhook-ids ${[...new Set(copies.map((c) => c.id))].join(', ')}`);
      const bodies = [...new Set(copies.map((c) => c.body))];
      if (bodies.length > 1) final.push(`webhooks: event ${eventId} delivered with different bodies: ${bodies.join(' / ')}`);
    }
    for (const m of wanted) {
      const events = eventOf.get(m.messageId);
      if (events === undefined) pending.push(`webhooks: ${m.text} (${m.messageId}) not delivered`);
      else if (events.size > 1) final.push(`webhooks: ${m.text} delivered as ${events.size} different events (${[...events].join(', ')})`);
      else {
        const body = byEvent.get([...events][0]!)![0]!;
        const parsed = JSON.parse(body.body) as Value;
        const type = m.direction === 'in' ? 'message.received' : 'message.sent';
        if (parsed.event !== type || parsed.message !== m.text || parsed.chatId !== m.chatJid) final.push(`webhooks: ${m.text} delivered as ${body.body}`);
      }
    }
    // First deliveries of each chat and direction arrive in the order the messages were made.
    const firsts: string[] = [];
    const seen = new Set<string>();
    for (const hook of view.webhooks) {
      const messageId = String(hook.parsed.messageId);
      if (!seen.has(messageId)) firsts.push(messageId);
      seen.add(messageId);
    }
    for (const chat of allChats()) {
      for (const direction of ['in', 'out'] as const) {
        const made = wanted.filter((m) => m.chatJid === chat.jid && m.accountId === chat.accountId && m.direction === direction);
        const madeIds = new Set(made.map((m) => m.messageId));
        const arrived = firsts.filter((id) => madeIds.has(id));
        const order = made.filter((m) => seen.has(m.messageId)).map((m) => m.messageId);
        if (JSON.stringify(arrived) !== JSON.stringify(order)) {
          const text = (ids: string[]): string[] => ids.map((id) => byId.get(id)!.text);
          final.push(`webhooks: first deliveries of ${chat.accountId}/${chat.jid} ${direction} arrived ${JSON.stringify(text(arrived))}, made ${JSON.stringify(text(order))}`);
        }
      }
    }
    return { pending, final };
  }

  /**
   * Waits until every view shows exactly what was made (or something that waiting cannot
   * fix), then fails with every difference. A round that failed is left out of later checks.
   */
  async function converge(t: TestContext, round: string): Promise<void> {
    const started = Date.now();
    let last: Findings = { pending: ['not checked yet'], final: [] };
    let view: Snapshot | undefined;
    let failedAt: number | undefined;
    await waitFor(
      async () => {
        view = await snapshot();
        last = findings(view);
        // Once something is wrong for good, what is still missing gets a short while to show up, for a complete account.
        if (last.final.length > 0) failedAt ??= Date.now();
        return last.pending.length === 0 || (failedAt !== undefined && Date.now() - failedAt > 20_000);
      },
      `round ${round} to converge`,
      { timeoutMs: CONVERGE_MS, intervalMs: 500 },
    ).catch(() => undefined);
    t.diagnostic(`round ${round}: ${expected.filter((m) => m.round === round).length} messages, converged in ${Date.now() - started} ms`);
    const problems = [...last.final, ...last.pending];
    if (problems.length > 0) {
      reported.add(round);
      if (view !== undefined) {
        for (const account of accounts) {
          const counts = view.analytics.get(account.id)!;
          const made = (direction: Direction): number => expected.filter((m) => m.accountId === account.id && m.direction === direction).length;
          analyticsOffset.set(account.id, { sent: Number(counts.sentMessages) - made('out'), received: Number(counts.receivedMessages) - made('in') });
        }
      }
    }
    assert.deepEqual(problems.slice(0, 40), [], `round ${round}: ${problems.length} problems ${context()}`);
  }

  /** Every role process still running (none exited on its own). */
  function assertAllRunning(): void {
    assert.deepEqual(stack.unexpectedExits, [], `processes exited on their own ${context()}`);
  }

  const KILLED: readonly StackRole[] = ['connector', 'projector', 'analytics', 'webhooks', 'api'];
  for (const role of KILLED) {
    it(`kill -9 the ${role} at a random moment of a burst, restart it: nothing lost, nothing doubled, order kept`, async (t) => {
      const round = `kill-${role}`;
      const traffic = burst(round);
      const at = randomPoint(traffic.total);
      t.diagnostic(`FAULTS_SEED=${SEED}: SIGKILL the ${role} after ${at} of ${traffic.total} messages`);
      await traffic.reached(at);
      const exit = await stack.kill(role);
      assert.equal(exit.signal, 'SIGKILL');
      const restarted = stack.restart(role);
      await Promise.all([traffic.done, restarted]);
      assertAllRunning();
      await converge(t, round);
    });
  }

  // SIGTERM is how a deployment stops a role (docker stop, a rolling update): the role finishes and
  // commits the batch in flight, closes its sessions and exits 0 within its drain bound.
  const DRAINED: readonly StackRole[] = ['connector', 'projector', 'webhooks'];
  for (const role of DRAINED) {
    it(`SIGTERM the ${role} in the middle of a burst: it drains and exits 0 in time, loses no in-flight record; restarted, nothing doubled`, async (t) => {
      const round = `term-${role}`;
      const traffic = burst(round);
      const at = randomPoint(traffic.total);
      t.diagnostic(`FAULTS_SEED=${SEED}: SIGTERM the ${role} after ${at} of ${traffic.total} messages`);
      await traffic.reached(at);
      const signalled = Date.now();
      const exit = await stack.kill(role, 'SIGTERM');
      const drainMs = Date.now() - signalled;
      t.diagnostic(`${role} drained and exited in ${drainMs} ms`);
      assert.deepEqual(exit, { code: 0, signal: null }, `the ${role} exits cleanly ${context()}`);
      assert.ok(drainMs < DRAIN_BOUND_MS, `the ${role} drained in ${drainMs} ms (bound ${DRAIN_BOUND_MS} ms)`);
      const stuck = stack.lines(role, { currentRun: true }).filter((line) => line.json?.msg === 'shutdown hook timed out' || line.json?.msg === 'shutdown hook failed');
      assert.deepEqual(stuck.map((line) => line.text), [], `every shutdown step of the ${role} finished`);
      const restarted = stack.restart(role);
      await Promise.all([traffic.done, restarted]);
      assertAllRunning();
      await converge(t, round);
    });
  }

  it('restart the broker in the middle of a burst: every role recovers on its own', async (t) => {
    const round = 'broker-restart';
    const traffic = burst(round);
    const at = randomPoint(traffic.total);
    t.diagnostic(`FAULTS_SEED=${SEED}: broker restarted after ${at} of ${traffic.total} messages`);
    await traffic.reached(at);
    await stack.restartBroker();
    await traffic.done;
    await converge(t, round);
    assertAllRunning();
    for (const name of stack.names()) assert.ok(stack.isRunning(name), `${name} is running ${context()}`);
  });

  it('a second connector joins and takes accounts over; one is killed and the other runs every account', async (t) => {
    const partitionsOf = (name: string): number[] | null => {
      const applied = stack.lines(name, { msg: 'connector assignment applied', currentRun: true }).at(-1);
      return applied ? (applied.json!.partitions as number[]) : null;
    };
    const extra = await stack.startExtra('connector');
    const both = await waitFor(
      () => {
        const first = partitionsOf('connector');
        const second = partitionsOf(extra);
        if (first === null || second === null || first.length === 0 || second.length === 0) return null;
        const all = [...first, ...second].sort((a, b) => a - b);
        return JSON.stringify(all) === JSON.stringify([...Array(PARTITIONS).keys()]) ? { first, second } : null;
      },
      'the partitions split between the two connectors',
      { timeoutMs: 90_000 },
    );
    t.diagnostic(`connector owns partitions ${both.first.join(',')}, ${extra} owns ${both.second.join(',')}`);
    // The API counts the group's members (bounded probe): two, once both are in.
    await waitFor(async () => (await stack.api('GET', '/health')).body.connectors?.members === 2, 'GET /health counting two connectors', { timeoutMs: 60_000 });
    const joined = burst('connector-joined');
    await joined.done;
    await converge(t, 'connector-joined');

    const [victim, survivor] = random() < 0.5 ? ['connector', extra] : [extra, 'connector'];
    t.diagnostic(`FAULTS_SEED=${SEED}: SIGKILL ${victim}, ${survivor} must take every account over`);
    await stack.kill(victim);
    const survived = burst('connector-killed');
    await waitFor(() => (partitionsOf(survivor)?.length ?? 0) === PARTITIONS, `${survivor} owning every partition`, { timeoutMs: 90_000 });
    await survived.done;
    await converge(t, 'connector-killed');
    assertAllRunning();
  });
});
