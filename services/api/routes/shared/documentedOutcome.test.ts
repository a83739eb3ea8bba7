import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaError, httpStatusOf } from '../../../shared/index.js';
import type { CommandAnswer, CommandResultValue } from '../../ApiServices.js';
import { connectResultOf, formatPairingCode } from './connectResult.js';
import { documentedOutcome } from './documentedOutcome.js';
import { sentMessageBody } from './sentMessageBody.js';

function result(overrides: Partial<CommandResultValue>): CommandResultValue {
  return {
    commandId: 'cmd-1',
    accountId: 'mybot',
    type: 'message.send',
    status: 'SUCCEEDED',
    completedAt: 1,
    error: null,
    result: null,
    eventIds: [],
    durationMs: 5,
    correlationId: 'req-1',
    replayed: false,
    ...overrides,
  };
}

function failed(code: string, message: string, field: string | null = null): CommandAnswer {
  return { kind: 'completed', result: result({ status: 'REJECTED', error: { code, message, retriable: false, statusCode: null, field } }) };
}

function thrown(run: () => unknown): WaError {
  try {
    run();
  } catch (error) {
    if (error instanceof WaError) return error;
    throw error;
  }
  assert.fail('expected a WaError');
}

const never = (): never => assert.fail('onSuccess must not run');

describe('documentedOutcome', () => {
  it('answers 202 while the command runs, and the success body when it succeeded', () => {
    assert.deepEqual(documentedOutcome({ kind: 'pending', commandId: 'cmd-9' }, never), { kind: 'accepted', commandId: 'cmd-9' });
    const sent = result({ result: { 'wa.commands.MessageSentResult': { messageId: '3EB0123ABCD456EF', chatJid: 'x', timestamp: 1, status: 'SERVER_ACK' } } });
    assert.deepEqual(
      documentedOutcome({ kind: 'completed', result: sent }, (value) => ({ kind: 'json', body: sentMessageBody(value) })),
      { kind: 'json', body: { messageId: '3EB0123ABCD456EF' } },
    );
  });

  it('words a documented error as the document does: WILDCAT "Account already exists" is a 400', () => {
    const error = thrown(() => documentedOutcome(failed('ACCOUNT_EXISTS', 'account mybot already exists'), never, { ACCOUNT_EXISTS: { message: 'Account already exists', status: 400 } }));
    assert.equal(error.message, 'Account already exists');
    assert.equal(httpStatusOf(error), 400);
    assert.equal(error.details?.['commandCode'], 'ACCOUNT_EXISTS');
    assert.equal(error.details?.['commandId'], 'cmd-1');
  });

  it('names the field a documented 400 is about, where the connector named none', () => {
    const error = thrown(() => documentedOutcome(failed('ACCOUNT_EXISTS', 'exists'), never, { ACCOUNT_EXISTS: { message: 'Account already exists', status: 400, field: 'id' } }));
    assert.equal(error.field, 'id');
    assert.equal(thrown(() => documentedOutcome(failed('ACCOUNT_EXISTS', 'exists', 'accountId'), never, { ACCOUNT_EXISTS: { status: 400 } })).field, 'accountId');
  });

  it('can change the nature of an error: a failed send is WILDCAT’s 500 internal_error', () => {
    const error = thrown(() => documentedOutcome(failed('NOT_CONNECTED', 'account mybot is not connected'), never, { NOT_CONNECTED: { message: 'internal_error', status: 500, code: 'UPSTREAM' } }));
    assert.equal(error.code, 'UPSTREAM');
    assert.equal(error.message, 'internal_error');
    assert.equal(httpStatusOf(error), 500);
  });

  it('leaves undocumented errors to the common mapping, field included', () => {
    const error = thrown(() => documentedOutcome(failed('VALIDATION_FAILED', 'not a valid JID', 'to'), never, { ACCOUNT_EXISTS: { message: 'x' } }));
    assert.equal(error.code, 'INVALID_ARGUMENT');
    assert.equal(error.message, 'not a valid JID');
    assert.equal(error.field, 'to');
    assert.equal(httpStatusOf(error), 400);
    assert.equal(httpStatusOf(thrown(() => documentedOutcome(failed('ACCOUNT_EXISTS', 'exists'), never))), 409);
  });

  it('supports async success bodies (QR images)', async () => {
    const done = result({ type: 'account.connect', result: { 'wa.commands.ConnectResult': { state: 'PAIRING', qr: null, qrExpiresAt: null, pairingCode: 'ABCD1234', meJid: null, mePhone: null } } });
    const answer = await documentedOutcome({ kind: 'completed', result: done }, async (value) => ({ kind: 'json', body: { code: formatPairingCode(connectResultOf(value).pairingCode!) } }));
    assert.deepEqual(answer, { kind: 'json', body: { code: 'ABCD-1234' } });
  });
});

describe('formatPairingCode', () => {
  it('groups eight characters in fours, and keeps other codes', () => {
    assert.equal(formatPairingCode('ABCD1234'), 'ABCD-1234');
    assert.equal(formatPairingCode('ABCD-1234'), 'ABCD-1234');
    assert.equal(formatPairingCode('123456'), '123456');
  });
});
