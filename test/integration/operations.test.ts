import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { OtlpCollector, Stack, waitFor, type CollectedSpan } from '../helpers/index.js';
import { WebhookReceiver } from '../helpers/webhookHarness.js';

const ACCOUNT = 'ops-1';
const PHONE = '15550990001';
const CONTACT = '15550990002';

/** One scrape of a role's /metrics: every sample, by series name and labels. */
type Scrape = Map<string, number>;

/** The sum of a series over every label set whose labels include all of `having`. */
function total(samples: Scrape, series: string, having: Readonly<Record<string, string>> = {}): number {
  let sum = 0;
  for (const [key, value] of samples) {
    if (key !== series && !key.startsWith(`${series}{`)) continue;
    if (Object.entries(having).every(([label, wanted]) => key.includes(`${label}="${wanted}"`))) sum += value;
  }
  return sum;
}

describe('operations: health, metrics and one trace end to end (every role its own process)', { timeout: 600_000 }, () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let collector: OtlpCollector;

  before(async () => {
    collector = await OtlpCollector.start();
    receiver = await WebhookReceiver.start();
    stack = await Stack.start({
      partitions: 2,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        // The SDK's batch processor: export every 200 ms instead of every 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '200',
        WA_SEND_BURST: '100',
      },
    });
    const hook = await stack.api('POST', '/webhooks', { url: receiver.url, events: ['message.received', 'message.sent'] });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    await stack.link(ACCOUNT, PHONE);
  });

  after(async () => {
    await stack?.stop();
    await receiver?.close();
    await collector?.close();
  });

  it('every role is live and ready on its ops port, and serves its metrics labelled with its role', async () => {
    for (const name of stack.names()) {
      const live = await fetch(`${stack.opsUrl(name)}/livez`);
      assert.equal(live.status, 200, `${name} /livez`);
      const ready = await waitFor(async () => {
        const response = await fetch(`${stack.opsUrl(name)}/readyz`);
        return response.status === 200 ? ((await response.json()) as { checks: Record<string, { ok: boolean }> }) : null;
      }, `${name} ready`);
      if (name !== 'simulator') assert.deepEqual(ready.checks.kafka, { ok: true }, `${name} checks the broker`);
      const { text } = await stack.metrics(name);
      assert.match(text, new RegExp(`^process_cpu_user_seconds_total\\{role="${name}"\\} `, 'm'), name);
    }
  });

  it('the series move with traffic: events, commands, projection, analytics inserts, webhook deliveries, lag back to 0', async () => {
    const roles = ['connector', 'projector', 'analytics', 'webhooks', 'api'] as const;
    const before = new Map(await Promise.all(roles.map(async (role) => [role, (await stack.metrics(role)).samples] as const)));
    const delivered = receiver.acknowledged().length;
    const inbound = 20;
    const sends = 5;
    for (let i = 0; i < inbound; i += 1) await stack.sim('/sim/inbound', { accountId: ACCOUNT, from: CONTACT, text: `metrics in ${i}` });
    for (let i = 0; i < sends; i += 1) {
      const sent = await stack.command('POST', `/accounts/${ACCOUNT}/message/send`, { to: `${CONTACT}@s.whatsapp.net`, message: `metrics out ${i}` }, `ops-send-${randomUUID()}`);
      assert.ok(sent.status < 300, JSON.stringify(sent.body));
    }
    await waitFor(() => receiver.acknowledged().length >= delivered + inbound + sends, 'every event delivered to the webhook endpoint');

    const grew = async (role: (typeof roles)[number], series: string, having: Record<string, string>, atLeast: number): Promise<void> => {
      await waitFor(async () => total((await stack.metrics(role)).samples, series, having) - total(before.get(role)!, series, having) >= atLeast, `${role} ${series}${JSON.stringify(having)} up by ${atLeast}`);
    };
    await grew('connector', 'wa_connector_events_total', { topic: 'wa.conversation.v1' }, inbound + sends);
    await grew('connector', 'wa_connector_commands_total', { outcome: 'succeeded' }, sends);
    await grew('connector', 'wa_records_processed_total', { topic: 'wa.commands.v1' }, sends);
    await grew('api', 'wa_command_duration_seconds_count', {}, sends);
    await grew('projector', 'wa_records_processed_total', { topic: 'wa.conversation.v1' }, inbound + sends);
    await grew('projector', 'wa_projection_batches_total', {}, 1);
    await grew('analytics', 'wa_records_processed_total', { topic: 'wa.conversation.v1' }, inbound + sends);
    await grew('analytics', 'wa_clickhouse_insert_batches_total', {}, 1);
    await grew('webhooks', 'wa_webhook_deliveries_total', { outcome: 'delivered' }, inbound + sends);
    await grew('webhooks', 'wa_webhook_delivery_duration_seconds_count', { outcome: 'delivered' }, inbound + sends);

    const connector = (await stack.metrics('connector')).samples;
    assert.equal(total(connector, 'wa_sessions', { state: 'connected' }), 1, 'the one linked account, connected');
    assert.ok(total(connector, 'wa_session_qr_codes_total') >= 1, 'linking showed a QR code');
    // Caught up: every consumer group's lag is back to 0 on every partition.
    for (const [role, group] of [['connector', 'wa-connectors'], ['projector', 'wa-projector'], ['analytics', 'wa-analytics'], ['webhooks', 'wa-webhooks']] as const) {
      await waitFor(async () => {
        const samples = (await stack.metrics(role)).samples;
        const series = [...samples.keys()].filter((key) => key.startsWith('wa_consumer_lag_records{') && key.includes(`group="${group}"`));
        return series.length > 0 && series.every((key) => samples.get(key) === 0);
      }, `${role}: the ${group} group's lag back to 0`);
    }
  });

  it('one trace follows a send from the HTTP request through the connector to the webhook delivery', async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const text = `traced ${randomUUID()}`;
    const traced = await stack.api('POST', `/accounts/${ACCOUNT}/message/send`, { to: `${CONTACT}@s.whatsapp.net`, message: text }, {
      'idempotency-key': `ops-trace-${randomUUID()}`,
      traceparent: `00-${traceId}-${callerSpan}-01`,
    });
    assert.ok(traced.status < 300, JSON.stringify(traced.body));
    const delivery = await waitFor(() => receiver.acknowledged().find((request) => request.body.includes(text)) ?? null, 'the message.sent webhook');
    assert.match(delivery.traceparent, new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`), 'the endpoint gets the trace too');

    const spans = await waitFor(() => {
      const found = collector.trace(traceId);
      const has = (service: string, name: RegExp): boolean => found.some((span) => span.service === service && name.test(span.name));
      return has('wa-backbone-api', /^POST \/accounts\/:accountId\/message\/send$/) &&
        has('wa-backbone-connector', /^process wa\.commands\.v1$/) &&
        has('wa-backbone-webhooks', /^process wa\.conversation\.v1$/) &&
        has('wa-backbone-webhooks', /^POST$/)
        ? found
        : null;
    }, 'the spans of every role in the one trace');
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const chain = (span: CollectedSpan): string[] => {
      const names: string[] = [];
      for (let at: CollectedSpan | undefined = span; at !== undefined; at = byId.get(at.parentSpanId)) names.unshift(`${at.service.replace('wa-backbone-', '')}: ${at.name}`);
      return names;
    };
    const post = spans.find((span) => span.service === 'wa-backbone-webhooks' && span.name === 'POST')!;
    const path = chain(post);
    assert.equal(path[0], 'api: POST /accounts/:accountId/message/send', `the delivery's chain starts at the request: ${path.join(' → ')}`);
    assert.equal(path[1], 'api: send wa.commands.v1', `the command record's producer span: ${path.join(' → ')}`);
    assert.ok(path.includes('connector: process wa.commands.v1'), path.join(' → '));
    assert.ok(path.includes('webhooks: process wa.conversation.v1'), path.join(' → '));
    assert.equal(byId.get(post.parentSpanId)?.name, 'process wa.conversation.v1');
    const root = spans.find((span) => span.service === 'wa-backbone-api' && span.kind === 2)!;
    assert.equal(root.parentSpanId, callerSpan, "the request's span continues the caller's trace");
    assert.equal(root.kind, 2, 'SERVER');
    assert.equal(post.kind, 3, 'CLIENT');
    // The projector applies events in batches: its batch span links to the trace of each record.
    await waitFor(() => collector.spans.some((span) => span.service === 'wa-backbone-projector' && span.links.includes(traceId)), 'a projector batch span linked to the trace');
  });
});
