import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProjectorHarness } from '../../projections/runner/testing/index.js';
import { PgliteStore, type SqlStore } from '../../projections/store/index.js';
import { ConnectorHarness, freshTopic, waitFor } from '../helpers/index.js';

const ACCOUNT = 'projected-account';
const PHONE = '15550009901';
const FRIEND = '15550009902';
const FRIEND_JID = `${FRIEND}@s.whatsapp.net`;

/** The read models fed by a real connector and the simulator: the translator's events as they really are. */
describe('projector fed by a connector and the simulator', { timeout: 180_000 }, () => {
  let connectors: ConnectorHarness;
  let projector: ProjectorHarness;
  let store: SqlStore;

  before(async () => {
    connectors = await ConnectorHarness.start({ partitions: 4 });
    await connectors.startConnector();
    const { conversation, account, commandResults } = connectors.topics;
    const webhookAttempts = await freshTopic(connectors.kafka, 'webhook-attempts', { partitions: 4 });
    projector = await ProjectorHarness.start({ topics: { conversation, account, commandResults, webhookAttempts } });
    store = await PgliteStore.open({ dataDir: null, schema: 'read_models' });
    await projector.project(store);
  });

  after(async () => {
    await projector?.stop();
    await store?.close();
    await connectors?.stop();
  });

  it('shows the linked account, an inbound message, a sent reply read by the friend, and the send command', async () => {
    await connectors.linkedAccount(ACCOUNT, PHONE);
    const inbound = await connectors.sim('/sim/inbound', { accountId: ACCOUNT, from: FRIEND, text: 'hello projector' });
    const reads = projector.reads(store);
    // The reply comes after the message it answers: in the same second, the later event is the chat's last message.
    await waitFor(async () => (await reads.message(ACCOUNT, inbound.messageId as string)) !== null, 'the inbound message in the read model');
    const send = await connectors.run(ACCOUNT, 'message.send', 'SendMessage', { to: FRIEND_JID, content: { 'wa.conversation.TextContent': { text: 'hello back' } } });
    assert.equal(send.status, 'SUCCEEDED', JSON.stringify(send.error));
    const sentId = send.result['wa.commands.MessageSentResult'].messageId as string;
    await connectors.sim('/sim/receipt', { accountId: ACCOUNT, messageId: sentId, status: 'read' });

    await waitFor(async () => (await reads.message(ACCOUNT, sentId))?.status === 'read', 'the reply read in the read model');

    const account = await reads.account(ACCOUNT);
    assert.equal(account?.status, 'connected');
    assert.equal(account?.phone, PHONE);
    assert.equal(account?.qr, null);
    assert.ok(account?.lastQrAt !== null);
    assert.ok((await reads.connectionHistory(ACCOUNT, { limit: 20, offset: 0 })).some((h) => h.state === 'CONNECTED'));

    const received = await reads.message(ACCOUNT, inbound.messageId as string);
    assert.equal(received?.chatJid, FRIEND_JID);
    assert.equal(received?.text, 'hello projector');
    assert.equal(received?.direction, 'inbound');
    assert.equal(received?.fromMe, false);

    const reply = await reads.message(ACCOUNT, sentId);
    assert.equal(reply?.text, 'hello back');
    assert.equal(reply?.direction, 'outbound');

    const chat = await reads.chat(ACCOUNT, FRIEND_JID);
    assert.equal(chat?.kind, 'user');
    assert.equal(chat?.unreadCount, 1);
    assert.equal(chat?.lastMessageId, sentId);
    const { items, total } = await reads.messagesOfChat(ACCOUNT, FRIEND_JID, { limit: 10, offset: 0 });
    assert.equal(total, 2);
    assert.deepEqual(items.map((m) => m.messageId), [sentId, inbound.messageId]);

    // The result is on wa.command-results.v1, which the projector reads beside the event topics, not after them.
    const command = await waitFor(() => reads.command(send.commandId as string), 'the send command in the read model');
    assert.equal(command.status, 'SUCCEEDED');
    // The connector writes in Kafka transactions: their markers must not leave the projection looking behind.
    await projector.caughtUp(store, 30_000);
  });
});
