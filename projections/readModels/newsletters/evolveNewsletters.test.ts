import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ALICE, EventFactory, ME, ReadModelSpec, T0 } from '../testing/index.js';

const CHANNEL = '120363999999999999@newsletter';

describe('newsletters read model', () => {
  let spec: ReadModelSpec;
  const f = new EventFactory('acc-1');

  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(() => spec.close());
  beforeEach(async () => {
    await spec.reset();
    await spec.given(
      f.account('account.created', 'AccountCreated', { createdBy: 'admin' }, { at: T0 - 10 }),
      f.account('connection.state', 'ConnectionStateChanged', { state: 'CONNECTED', meJid: ME }, { at: T0 - 5 }),
    );
  });

  it('given nothing, when newsletter.upserted then updated (twice each), then the channel shows its latest metadata', async () => {
    await spec.when(f.account('newsletter.upserted', 'NewsletterMetadata', { jid: CHANNEL, name: 'News', description: 'daily', subscriberCount: 10, viewerRole: 'OWNER' }, { at: T0 }));
    await spec.when(f.account('newsletter.updated', 'NewsletterMetadata', { jid: CHANNEL, name: 'News!', subscriberCount: 12 }, { at: T0 + 1 }));
    assert.deepEqual(await spec.reads.newsletters('acc-1'), [
      { accountId: 'acc-1', jid: CHANNEL, name: 'News!', description: 'daily', role: 'OWNER', subscribers: 12, pictureUrl: null },
    ]);
  });

  it('given a channel, when the account’s own role changes (twice), then the role follows; others’ roles do not', async () => {
    await spec.given(f.account('newsletter.upserted', 'NewsletterMetadata', { jid: CHANNEL, name: 'News', viewerRole: 'SUBSCRIBER' }, { at: T0 }));
    await spec.when(f.account('newsletter.participant', 'NewsletterParticipantChanged', { newsletterJid: CHANNEL, userJid: ALICE, action: 'promote', newRole: 'ADMIN' }, { at: T0 + 1 }));
    assert.equal((await spec.reads.newsletters('acc-1'))[0]?.role, 'SUBSCRIBER');
    await spec.when(f.account('newsletter.participant', 'NewsletterParticipantChanged', { newsletterJid: CHANNEL, userJid: ME, action: 'promote', newRole: 'ADMIN' }, { at: T0 + 2 }));
    assert.equal((await spec.reads.newsletters('acc-1'))[0]?.role, 'ADMIN');
  });

  it('ignores reaction and view counts', async () => {
    await spec.given(f.account('newsletter.upserted', 'NewsletterMetadata', { jid: CHANNEL }, { at: T0 }));
    const before = await spec.snapshot();
    await spec.when(f.account('newsletter.reaction', 'NewsletterMessageStats', { newsletterJid: CHANNEL, serverMessageId: '1', reactionCode: '👍', reactionCount: 3 }));
    await spec.when(f.account('newsletter.view', 'NewsletterMessageStats', { newsletterJid: CHANNEL, serverMessageId: '1', viewCount: 30 }));
    assert.deepEqual(await spec.snapshot(), before);
  });
});
