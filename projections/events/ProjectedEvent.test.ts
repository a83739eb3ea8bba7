import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AvroCodec } from '../../schemas/index.js';
import { toProjectedEvent } from './ProjectedEvent.js';

const codec = AvroCodec.load();
const envelope = (type: string, data: Record<string, unknown>) => ({
  eventId: 'e1',
  type,
  accountId: 'acc-1',
  chatJid: null,
  sequence: 1,
  occurredAt: 1,
  recordedAt: 2,
  correlationId: 'c',
  causationId: null,
  source: 'LIVE',
  driver: null,
  data,
});
const decoded = (type: string, data: Record<string, unknown>) =>
  codec.decode(codec.encode('wa.account.AccountEvent', envelope(type, data)), 'wa.account.AccountEvent').value;

describe('toProjectedEvent', () => {
  it('gives the data branch of a known type', () => {
    const event = toProjectedEvent('account', decoded('label.upserted', { 'wa.account.Label': { labelId: '1', name: 'x', color: 1, deleted: false } }));
    assert.equal(event?.type, 'label.upserted');
    assert.deepEqual(event?.data, { labelId: '1', name: 'x', color: 1, predefinedId: null, deleted: false });
  });

  it('skips an event type this build does not know (a newer producer)', () => {
    assert.equal(toProjectedEvent('account', decoded('label.renamed.v9', { 'wa.account.Label': { labelId: '1', name: 'x', color: 1, deleted: false } })), null);
  });

  it('refuses an event whose data is not the branch its type carries', () => {
    assert.throws(() => toProjectedEvent('account', decoded('label.upserted', { 'wa.account.LidMapping': { lid: '1@lid', pn: '1@s.whatsapp.net', source: 'CONTACT' } })), { code: 'CODEC' });
  });

  it('turns a command result into an event named after its command', () => {
    const result = {
      commandId: 'cmd-1',
      accountId: 'acc-1',
      type: 'account.delete',
      status: 'SUCCEEDED',
      completedAt: 5,
      error: null,
      result: null,
      eventIds: [],
      durationMs: null,
      correlationId: 'c',
      replayed: false,
    };
    const value = codec.decode(codec.encode('wa.commands.CommandResult', result), 'wa.commands.CommandResult').value;
    const event = toProjectedEvent('commandResults', value);
    assert.equal(event?.eventId, 'command-result:cmd-1');
    assert.equal(event?.occurredAt, 5);
    assert.equal(event?.type, 'command.result');
  });
});
