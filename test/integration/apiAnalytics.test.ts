import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, waitFor, type ApiAnswer, type Value } from '../helpers/index.js';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const ACME = 'an-acme';
const GLOBEX = 'an-globex';
const ACCOUNTS = [
  { id: ACME, name: 'Acme Sales', phone: '15550770001' },
  { id: GLOBEX, name: 'Globex Support', phone: '15550770002' },
];
const FRIEND = '15550770009';
const FRIEND_JID = `${FRIEND}@s.whatsapp.net`;

/** The UTC calendar day of a time. */
function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Midnight (UTC) of the day `n` days before the day of `ms`. */
function midnightBefore(ms: number, n: number): number {
  return Date.parse(`${dayOf(ms)}T00:00:00Z`) - n * DAY_MS;
}

function counts(sent: number, received: number): Value {
  return { total: sent + received, sent, received };
}

/** What the message lists of the read models say was sent and received, with the times WhatsApp gave. */
interface Seen {
  accountId: string;
  fromMe: boolean;
  at: number;
}

/**
 * `/analytics/*` over the whole pipeline: messages received from the simulated WhatsApp and
 * sent through the API reach the event topics of the real broker, the analytics projection
 * counts them into chDB (in memory), and the real app answers from there.
 */
describe('analytics endpoints over HTTP (real app, real broker, analytics projection into chDB, simulator as WhatsApp)', { timeout: 180_000 }, () => {
  let api: ApiHarness;
  let acmeKey: string;
  let started: number;
  let today: string;
  let yesterday: string;
  let twoDaysAgo: string;
  let seen: Seen[];
  let pinned: number[];

  async function ok(path: string, key?: string, headers?: Record<string, string>): Promise<Value> {
    const answer = await api.call('GET', path, undefined, { ...(key === undefined ? {} : { key }), ...(headers ? { headers } : {}) });
    assert.equal(answer.status, 200, `${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    assert.deepEqual(Object.keys(answer.body).sort(), ['data', 'success'], path);
    assert.equal(answer.body.success, true, path);
    return answer.body.data as Value;
  }

  function refused(answer: ApiAnswer, status: number, field: string | null, what: string): void {
    assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body.success, false, what);
    if (field !== null) assert.equal(answer.body.error.field, field, what);
  }

  before(async () => {
    api = await ApiHarness.start({ analytics: true });
    for (const account of ACCOUNTS) {
      const created = await api.call('POST', '/accounts', { id: account.id, name: account.name });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await api.eventually(`/channels/${account.id}/qr`, (a) => a.status === 200, `a QR for ${account.id}`);
      await api.h.sim('/sim/link', { accountId: account.id, phone: account.phone });
      await api.eventually(`/accounts/${account.id}/status`, (a) => a.body.status === 'connected', `${account.id} connected`);
    }
    acmeKey = (await api.services.keys.create(ACME, 'analytics test')).key;

    started = Date.now();
    today = dayOf(started);
    yesterday = dayOf(started - DAY_MS);
    twoDaysAgo = dayOf(started - 2 * DAY_MS);
    // Received earlier (at times WhatsApp gives: 21:40 two days ago, 09:15 and 09:45 yesterday), and now.
    pinned = [midnightBefore(started, 2) + (21 * 60 + 40) * 60_000, midnightBefore(started, 1) + (9 * 60 + 15) * 60_000, midnightBefore(started, 1) + (9 * 60 + 45) * 60_000];
    await api.h.sim('/sim/inbound', { accountId: ACME, from: FRIEND, text: 'two days ago', timestamp: pinned[0] });
    await api.h.sim('/sim/inbound', { accountId: ACME, from: FRIEND, text: 'yesterday', timestamp: pinned[1] });
    await api.h.sim('/sim/inbound', { accountId: ACME, from: FRIEND, text: 'today' });
    await api.h.sim('/sim/inbound', { accountId: GLOBEX, from: FRIEND, text: 'yesterday too', timestamp: pinned[2] });
    // Sent through the API now: twice by Acme (its own key), once by Globex (the admin key).
    for (const [channel, key] of [[ACME, acmeKey], [ACME, undefined], [GLOBEX, undefined]] as const) {
      const sent = await api.call('POST', `/messages/text?channelId=${channel}`, { to: FRIEND, body: 'an answer' }, key === undefined ? {} : { key });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
    }

    await api.eventually('/analytics/overview', (a) => a.body.data?.totalMessages === 7, 'analytics counting the seven messages');
    // Their times as WhatsApp gave them, from the read models (the hour of "now" is the clock's).
    seen = await waitFor(async () => {
      const all: Seen[] = [];
      for (const account of ACCOUNTS) {
        const list = await api.call('GET', `/messages/list/${FRIEND_JID}?channelId=${account.id}`);
        for (const message of (list.body.data as Value[] | undefined) ?? []) all.push({ accountId: account.id, fromMe: message.fromMe as boolean, at: message.timestamp as number });
      }
      return all.length === 7 ? all : null;
    }, 'the seven messages in the read models');
  });

  after(async () => {
    await api?.stop();
    assert.deepEqual(api?.h.fatal, []);
  });

  it('the traffic is where the test put it (the UTC day did not turn meanwhile)', () => {
    assert.equal(dayOf(Date.now()), today, 'the UTC day turned during the test: run it again');
    const days = seen.map((message) => `${message.accountId} ${message.fromMe ? 'sent' : 'received'} ${dayOf(message.at)}`).sort();
    const expected = [
      `${ACME} received ${today}`,
      `${ACME} received ${twoDaysAgo}`,
      `${ACME} received ${yesterday}`,
      `${ACME} sent ${today}`,
      `${ACME} sent ${today}`,
      `${GLOBEX} received ${yesterday}`,
      `${GLOBEX} sent ${today}`,
    ];
    assert.deepEqual(days, expected.sort());
    for (const at of pinned) assert.ok(seen.some((message) => message.at === at), `a message at ${new Date(at).toISOString()}`);
  });

  it('overview: every channel for the admin key, one with channelId or X-Channel-Id', async () => {
    assert.deepEqual(await ok('/analytics/overview'), { totalMessages: 7, sentMessages: 3, receivedMessages: 4, todayMessages: 4 });
    assert.deepEqual(await ok(`/analytics/overview?channelId=${ACME}`), { totalMessages: 5, sentMessages: 2, receivedMessages: 3, todayMessages: 3 });
    assert.deepEqual(await ok('/analytics/overview', undefined, { 'x-channel-id': GLOBEX }), { totalMessages: 2, sentMessages: 1, receivedMessages: 1, todayMessages: 1 });
  });

  it('daily: days=3 ends today, oldest first; 7 days by default, zero-filled', async () => {
    assert.deepEqual(await ok('/analytics/daily?days=3'), [
      { date: twoDaysAgo, ...counts(0, 1) },
      { date: yesterday, ...counts(0, 2) },
      { date: today, ...counts(3, 1) },
    ]);
    assert.deepEqual(await ok(`/analytics/daily?days=3&channelId=${GLOBEX}`), [
      { date: twoDaysAgo, ...counts(0, 0) },
      { date: yesterday, ...counts(0, 1) },
      { date: today, ...counts(1, 0) },
    ]);
    const week = (await ok('/analytics/daily')) as Value[];
    assert.deepEqual(
      week.map((entry) => entry.date),
      Array.from({ length: 7 }, (_, i) => dayOf(started - (6 - i) * DAY_MS)),
    );
    assert.deepEqual(
      week.map((entry) => entry.total),
      [0, 0, 0, 0, 1, 2, 4],
    );
  });

  it('by-hour and by-weekday: the hours and weekdays of the messages (UTC)', async () => {
    const expected = (accounts: readonly string[]) => {
      const hours: Value[] = Array.from({ length: 24 }, (_, hour) => ({ hour, ...counts(0, 0) }));
      const weekdays: Value[] = WEEKDAYS.map((name, i) => ({ weekday: i + 1, name, ...counts(0, 0) }));
      for (const message of seen.filter((m) => accounts.includes(m.accountId))) {
        const at = new Date(message.at);
        for (const entry of [hours[at.getUTCHours()]!, weekdays[(at.getUTCDay() + 6) % 7]!]) {
          entry.total += 1;
          if (message.fromMe) entry.sent += 1;
          else entry.received += 1;
        }
      }
      return { hours, weekdays };
    };
    const all = expected([ACME, GLOBEX]);
    const hours = await ok('/analytics/by-hour');
    assert.deepEqual(hours, all.hours);
    assert.deepEqual(await ok('/analytics/by-weekday'), all.weekdays);
    const globex = expected([GLOBEX]);
    assert.deepEqual(await ok(`/analytics/by-hour?channelId=${GLOBEX}`), globex.hours);
    assert.deepEqual(await ok(`/analytics/by-weekday?channelId=${GLOBEX}`), globex.weekdays);
  });

  it('channels: both channels with their names and counts', async () => {
    assert.deepEqual(await ok('/analytics/channels'), [
      { channelId: ACME, name: 'Acme Sales', today: 3, week: 5, total: 5 },
      { channelId: GLOBEX, name: 'Globex Support', today: 1, week: 2, total: 2 },
    ]);
    assert.deepEqual(await ok(`/analytics/channels?channelId=${GLOBEX}`), [{ channelId: GLOBEX, name: 'Globex Support', today: 1, week: 2, total: 2 }]);
  });

  it('trends: the last days against the ones before them', async () => {
    assert.deepEqual(await ok('/analytics/trends?days=2'), {
      days: 2,
      current: counts(3, 3),
      previous: counts(0, 1),
      changePercent: 500,
      series: [
        { date: yesterday, ...counts(0, 2) },
        { date: today, ...counts(3, 1) },
      ],
    });
    const fortnight = await ok('/analytics/trends');
    assert.equal(fortnight.days, 14);
    assert.deepEqual(fortnight.current, counts(3, 4));
    assert.deepEqual(fortnight.previous, counts(0, 0));
    assert.equal(fortnight.changePercent, null, 'nothing before: no percentage');
    assert.equal(fortnight.series.length, 14);
    assert.equal(fortnight.series[13].date, today);
    assert.deepEqual(await ok(`/analytics/trends?days=1&channelId=${ACME}`), {
      days: 1,
      current: counts(2, 1),
      previous: counts(0, 1),
      changePercent: 200,
      series: [{ date: today, ...counts(2, 1) }],
    });
  });

  it('an account key sees its own channel only: the other is 403', async () => {
    const own = { totalMessages: 5, sentMessages: 2, receivedMessages: 3, todayMessages: 3 };
    assert.deepEqual(await ok('/analytics/overview', acmeKey), own);
    assert.deepEqual(await ok(`/analytics/overview?channelId=${ACME}`, acmeKey), own);
    assert.deepEqual(await ok('/analytics/channels', acmeKey), [{ channelId: ACME, name: 'Acme Sales', today: 3, week: 5, total: 5 }]);
    assert.deepEqual(((await ok('/analytics/daily?days=1', acmeKey)) as Value[])[0], { date: today, ...counts(2, 1) });
    for (const path of ['overview', 'daily', 'by-hour', 'by-weekday', 'channels', 'trends']) {
      refused(await api.call('GET', `/analytics/${path}?channelId=${GLOBEX}`, undefined, { key: acmeKey }), 403, null, `${path} of another channel`);
      refused(await api.call('GET', `/analytics/${path}`, undefined, { key: acmeKey, headers: { 'x-channel-id': GLOBEX } }), 403, null, `${path} of another channel by header`);
    }
  });

  it('bad input is a 400 naming the field; an unknown channel is 404', async () => {
    for (const path of ['daily', 'trends']) {
      for (const days of ['0', 'abc', '367', '2.5']) refused(await api.call('GET', `/analytics/${path}?days=${days}`), 400, 'days', `${path} days=${days}`);
    }
    refused(await api.call('GET', '/analytics/overview?channelId=no%20such'), 400, 'channelId', 'a malformed channel');
    refused(await api.call('GET', '/analytics/overview?channelId=nobody'), 404, 'channelId', 'an unknown channel');
    refused(await api.call('GET', '/analytics/overview', undefined, { key: null }), 401, null, 'no key');
  });

  it('/health reports the analytics store', async () => {
    const health = await api.call('GET', '/health', undefined, { key: null });
    assert.deepEqual(health.body.analytics, { status: 'up', engine: 'chdb' });
  });
});
