import { ApiHarness } from '../helpers/index.js';
import { atFixedRate, percentile, type Figure } from './stats.js';

/**
 * The command round trip through the whole stack: `POST /messages/text` over HTTP, the command
 * on Kafka, the connector sending through the simulator, the result back to the API. Beside
 * it, a bare route of the same app (`GET /ping`) at the same rate, as the HTTP floor.
 */
export async function apiBench(options: { accounts: number; rate: number; seconds: number }): Promise<Figure[]> {
  const api = await ApiHarness.start({ partitions: 12, projector: false });
  try {
    const accounts = Array.from({ length: options.accounts }, (_, i) => `api-bench-${i}`);
    for (const [i, accountId] of accounts.entries()) await api.h.linkedAccount(accountId, `1666000${String(i).padStart(4, '0')}`);

    const ping = await atFixedRate(options.rate, options.seconds, async () => (await fetch(`${api.base}/ping`)).ok);
    const send = await atFixedRate(options.rate, options.seconds, async (i) => {
      const answer = await api.call('POST', '/messages/text', { channelId: accounts[i % accounts.length], to: '16660009999', body: `bench ${i}` });
      return answer.status === 200;
    });
    const label = `${options.rate}/s for ${options.seconds} s`;
    return [
      { name: `bare route GET /ping (${label}) achieved`, value: Math.round(ping.achieved), unit: 'req/s' },
      { name: 'bare route p50', value: percentile(ping.latencies, 50), unit: 'ms' },
      { name: 'bare route p99', value: percentile(ping.latencies, 99), unit: 'ms' },
      { name: `POST /messages/text round trip (${label}, ${options.accounts} accounts) achieved`, value: Math.round(send.achieved), unit: 'req/s' },
      { name: 'POST /messages/text p50', value: percentile(send.latencies, 50), unit: 'ms' },
      { name: 'POST /messages/text p99', value: percentile(send.latencies, 99), unit: 'ms' },
      { name: 'POST /messages/text max', value: send.latencies.at(-1) ?? Number.NaN, unit: 'ms' },
      { name: 'POST /messages/text errors', value: send.errors, unit: 'requests' },
    ];
  } finally {
    await api.stop();
  }
}
