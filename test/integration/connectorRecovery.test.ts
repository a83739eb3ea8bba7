import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Fetch } from '../../services/connector/drivers/simulator/index.js';
import { partitionForAccount } from '../../services/shared/kafka/index.js';
import { ConnectorHarness, waitFor, type Value } from '../helpers/index.js';

/** The connector's driver network, able to hold media downloads until released. */
class HeldMedia {
  readonly held: Array<() => void> = [];

  readonly fetch: Fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.includes('/media')) {
      await new Promise<void>((resolve) => this.held.push(resolve));
      return new Response('held', { status: 503 });
    }
    return globalThis.fetch(input, init);
  };

  releaseAll(): void {
    for (const release of this.held.splice(0)) release();
  }
}

/** The connector's driver network with slow socket closes: a session takes 1.5 s to end. */
const slowClose: Fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if ((init?.method ?? 'GET') === 'DELETE' && url.includes('/sim/driver/sessions/')) await new Promise((resolve) => setTimeout(resolve, 1_500));
  return globalThis.fetch(input, init);
};

describe('connector handover', () => {
  let h: ConnectorHarness;

  before(async () => {
    h = await ConnectorHarness.start({ partitions: 2 });
  });

  after(async () => {
    await h?.stop();
    assert.deepEqual(h?.fatal, []);
  });

  it('given accounts moving to a new connector while the old one closes its sockets slowly, then no session is ever open in both', async () => {
    const first = await h.startConnector({ fetch: slowClose });
    const accounts = ['hand-0', 'hand-1', 'hand-2', 'hand-3', 'hand-4'].filter((a, i, all) => all.findIndex((b) => partitionForAccount(b, 2) === partitionForAccount(a, 2)) === i);
    assert.equal(accounts.length, 2, 'one account on each partition');
    for (const [i, accountId] of accounts.entries()) await h.linkedAccount(accountId, `1555080000${i}`);
    const connectedBefore = h.allEvents().filter((e) => e.type === 'connection.state' && e.data['wa.account.ConnectionStateChanged'].state === 'CONNECTED').length;

    const second = await h.startConnector({ fetch: slowClose });
    await waitFor(async () => {
      await first.settled();
      await second.settled();
      return first.ownedPartitions().length === 1 && second.ownedPartitions().length === 1;
    }, 'one partition each');
    // The moved account connects again under its new owner.
    await waitFor(
      () => h.allEvents().filter((e) => e.type === 'connection.state' && e.data['wa.account.ConnectionStateChanged'].state === 'CONNECTED').length > connectedBefore,
      'the moved account connected again',
    );
    for (const accountId of accounts) {
      const account = await h.simGet(`/sim/accounts/${accountId}`);
      assert.equal(account.sessionsReplaced, 0, `${accountId}: a session was opened while the old one was still open`);
    }
    // Both accounts still receive.
    for (const accountId of accounts) {
      const { messageId } = await h.sim('/sim/inbound', { accountId, from: '15550800009', text: `after the move ${accountId}` });
      await h.event((e) => e.type === 'message.received' && e.data['wa.conversation.MessageRecorded'].message.key.id === messageId, `inbound to ${accountId}`);
    }
  });
});

describe('connector recovery of unfinished work (real broker, real HTTP)', () => {
  let h: ConnectorHarness;

  before(async () => {
    h = await ConnectorHarness.start({ partitions: 1 });
  });

  after(async () => {
    await h?.stop();
    assert.deepEqual(h?.fatal, []);
  });

  it('given a media download cut short when the account moves, then the next owner downloads it and records it once', async () => {
    const network = new HeldMedia();
    const first = await h.startConnector({ fetch: network.fetch });
    await h.linkedAccount('rec-1', '15550700001');
    const image = randomBytes(2048);
    const { messageId } = await h.sim('/sim/inbound', { accountId: 'rec-1', from: '15550700002', type: 'image', media: image.toString('base64'), mimetype: 'image/png' });
    await h.event((e) => e.type === 'message.received' && e.data['wa.conversation.MessageRecorded'].message.key.id === messageId, 'the image message');
    await waitFor(() => network.held.length > 0, 'the media download under way');

    await h.stopConnector(first);
    network.releaseAll();
    const mediaEvents = (): Value[] => h.allEvents().filter((e) => e.type === 'message.media' && e.data['wa.conversation.MessageMediaUpdated'].targetKey.id === messageId);
    assert.deepEqual(mediaEvents(), [], 'no outcome recorded for the cut download');

    await h.startConnector({ resultCacheSize: 0 });
    const [stored] = await waitFor(() => (mediaEvents().length > 0 ? mediaEvents() : null), 'message.media after the move');
    const media = stored!.data['wa.conversation.MessageMediaUpdated'].media;
    assert.equal(media.status, 'STORED');
    const chunks: Buffer[] = [];
    for await (const chunk of await h.media.open(media.mediaId as string)) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), image);
    // A later marker proves the account's events went on; still one outcome for the image.
    const marker = await h.sim('/sim/inbound', { accountId: 'rec-1', from: '15550700002', text: 'after media' });
    await h.event((e) => e.type === 'message.received' && e.data['wa.conversation.MessageRecorded'].message.key.id === marker.messageId, 'the marker');
    assert.equal(mediaEvents().length, 1);
  });

  it('given a duplicate of a command whose result is no longer cached, then the first result is read back from the topic', async () => {
    const commandId = randomUUID();
    const payload = { to: '15550700003@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'only once' } } };
    await h.command('rec-1', 'message.send', 'SendMessage', payload, { commandId });
    const [first] = await h.resultsFor(commandId);
    assert.equal(first!.status, 'SUCCEEDED', JSON.stringify(first!.error));
    await h.command('rec-1', 'message.send', 'SendMessage', payload, { commandId });
    const [, second] = await h.resultsFor(commandId, 2);
    assert.equal(second!.replayed, true);
    assert.deepEqual(second!.result, first!.result);
    const outbox = (await h.simGet('/sim/outbox?accountId=rec-1&to=15550700003')).messages as Value[];
    assert.equal(outbox.length, 1);
  });
});
