import { randomUUID } from 'node:crypto';
import { ConsumerRunner } from '../../services/shared/kafka/index.js';
import { ConnectorHarness, freshGroup, testLogger, waitFor } from '../helpers/index.js';
import { percentile, type Figure } from './stats.js';

/** Runs `work` over items with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/**
 * One connector with the simulator as WhatsApp on the local broker: inbound messages until
 * they are committed on Kafka, and the command round trip (record written → result read).
 */
export async function connectorBench(options: { accounts: number; messages: number; commands: number }): Promise<Figure[]> {
  const h = await ConnectorHarness.start({ partitions: 12 });
  try {
    await h.startConnector();
    const accounts = Array.from({ length: options.accounts }, (_, i) => `bench-${i}`);
    await pool(accounts, 4, (id) => h.linkedAccount(id, `1777000${String(accounts.indexOf(id)).padStart(4, '0')}`));

    const conversation = h.topics.conversation.name;
    const received = (): number => h.events.records.filter((r) => r.topic === conversation).length;
    const before = received();
    const started = performance.now();
    await pool(Array.from({ length: options.messages }, (_, i) => i), 16, (i) =>
      h.sim('/sim/inbound', { accountId: accounts[i % accounts.length], from: `1888000${String(i % 50).padStart(4, '0')}`, text: `bench message ${i}` }).then(() => undefined),
    );
    const postedSeconds = (performance.now() - started) / 1000;
    await waitFor(() => received() - before >= options.messages, `${options.messages} inbound messages on Kafka`, { timeoutMs: 300_000, intervalMs: 10 });
    const ingestSeconds = (performance.now() - started) / 1000;

    // Command round trip: each result is awaited by its own consumer, not by polling.
    const waiting = new Map<string, () => void>();
    const runner = await ConsumerRunner.start({
      kafka: h.kafka,
      groupId: freshGroup('bench-results'),
      topics: [h.topics.commandResults.name],
      logger: testLogger(),
      handleBatch: async (batch) => {
        for (const record of batch) waiting.get(record.headers['ce_id'] ?? '')?.();
      },
    });
    const latencies: number[] = [];
    try {
      for (let i = 0; i < options.commands; i += 1) {
        const commandId = randomUUID();
        const done = new Promise<void>((resolve) => waiting.set(commandId, resolve));
        const t0 = performance.now();
        await h.command(accounts[i % accounts.length]!, 'message.send', 'SendMessage', { to: '18880000001@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: `command ${i}` } } }, { commandId });
        await done;
        latencies.push(performance.now() - t0);
        waiting.delete(commandId);
      }
    } finally {
      await runner.stop();
    }
    latencies.sort((a, b) => a - b);
    return [
      { name: `inbound → Kafka (${options.messages} messages, ${options.accounts} accounts)`, value: Math.round(options.messages / ingestSeconds), unit: 'msg/s' },
      { name: 'inbound accepted by the simulator (16 HTTP clients)', value: Math.round(options.messages / postedSeconds), unit: 'msg/s' },
      { name: `message.send round trip p50 (${options.commands} sequential)`, value: percentile(latencies, 50), unit: 'ms' },
      { name: 'message.send round trip p99', value: percentile(latencies, 99), unit: 'ms' },
      { name: 'message.send round trip max', value: latencies.at(-1)!, unit: 'ms' },
    ];
  } finally {
    await h.stop();
  }
}
