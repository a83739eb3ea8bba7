import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AvroCodec } from '../../../schemas/index.js';
import { eventsFromResult } from './resultEvents.js';

const codec = AvroCodec.load();
const context = { accountId: 'acct', causationId: 'cmd-1', now: 1_700_000_000_000, codec };

describe('events made from command results', () => {
  it('given newsletter.create, then newsletter.upserted carries the metadata and encodes as an account event', () => {
    const metadata = { jid: '123@newsletter', name: 'News' };
    const [event] = eventsFromResult('newsletter.create', { 'wa.account.NewsletterMetadata': metadata }, context);
    assert.equal(event!.type, 'newsletter.upserted');
    assert.equal(event!.causationId, 'cmd-1');
    const { topic, ...envelope } = event!;
    assert.equal(topic, 'account');
    const encoded = codec.encode('wa.account.AccountEvent', { ...envelope, accountId: 'acct', sequence: 1, recordedAt: 0, correlationId: 'c', driver: 'simulator' });
    assert.equal(codec.decode<Record<string, any>>(encoded).value.data['wa.account.NewsletterMetadata'].name, 'News');
  });

  it('given the same result twice, then the event id is the same; another result gets another id', () => {
    const result = { 'wa.account.BusinessProfile': { jid: '1@s.whatsapp.net', description: 'Bikes' } };
    const first = eventsFromResult('business.profile.update', result, context)[0]!;
    assert.equal(eventsFromResult('business.profile.update', result, context)[0]!.eventId, first.eventId);
    const other = eventsFromResult('business.profile.update', { 'wa.account.BusinessProfile': { jid: '1@s.whatsapp.net', description: 'Cars' } }, context)[0]!;
    assert.notEqual(other.eventId, first.eventId);
  });

  it('given any other command or no result, then no event', () => {
    assert.deepEqual(eventsFromResult('message.send', { 'wa.commands.MessageSentResult': {} }, context), []);
    assert.deepEqual(eventsFromResult('newsletter.create', null, context), []);
  });
});
