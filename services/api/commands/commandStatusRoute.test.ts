import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WaError } from '../../shared/index.js';
import type { CommandResultValue } from '../ApiServices.js';
import { authorizeCommand, commandStatusBody, commandStatusSchema } from './commandStatusRoute.js';

const succeeded: CommandResultValue = {
  commandId: 'c1',
  accountId: 'a',
  type: 'message.send',
  status: 'SUCCEEDED',
  completedAt: 1_700_000_000_000,
  error: null,
  result: { 'wa.commands.MessageSentResult': { messageId: '3EB0', chatJid: 'x@s.whatsapp.net', timestamp: 1, status: 'SERVER_ACK', thumbnail: Buffer.from('hi') } },
  eventIds: ['e1'],
  durationMs: 12,
  correlationId: 'req-1',
  replayed: false,
};

describe('GET /commands/:commandId', () => {
  it('shows a result with lower-case status, the result branch as JSON (bytes base64), and fits its documented schema', () => {
    const body = commandStatusBody(succeeded);
    assert.deepEqual(body, {
      commandId: 'c1',
      accountId: 'a',
      type: 'message.send',
      status: 'succeeded',
      completedAt: 1_700_000_000_000,
      error: null,
      result: { 'wa.commands.MessageSentResult': { messageId: '3EB0', chatJid: 'x@s.whatsapp.net', timestamp: 1, status: 'SERVER_ACK', thumbnail: 'aGk=' } },
    });
    assert.deepEqual(commandStatusSchema.parse(body), body);
  });

  it('shows a failure with its error and no result', () => {
    const body = commandStatusBody({
      ...succeeded,
      status: 'REJECTED',
      result: null,
      error: { code: 'NOT_CONNECTED', message: 'account is not connected', retriable: true, statusCode: null, field: null },
    });
    assert.equal(body.status, 'rejected');
    assert.deepEqual(body.error, { code: 'NOT_CONNECTED', message: 'account is not connected', retriable: true, field: null });
    assert.equal(body.result, null);
    commandStatusSchema.parse(body);
  });

  it('lets the admin and the command account key read it; others get 403, no key 401', () => {
    const fails = (code: string) => (error: unknown) => error instanceof WaError && error.code === code;
    authorizeCommand({ kind: 'admin', keyId: 'admin' }, 'a');
    authorizeCommand({ kind: 'account', keyId: 'k', accountId: 'a' }, 'a');
    authorizeCommand({ kind: 'account', keyId: 'k', accountId: 'a' }, null);
    assert.throws(() => authorizeCommand({ kind: 'account', keyId: 'k', accountId: 'b' }, 'a'), fails('FORBIDDEN'));
    assert.throws(() => authorizeCommand({ kind: 'anonymous' }, null), fails('UNAUTHORIZED'));
  });
});
