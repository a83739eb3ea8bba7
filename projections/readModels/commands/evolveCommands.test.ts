import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ALICE, EventFactory, ReadModelSpec, T0 } from '../testing/index.js';

describe('command status read model', () => {
  let spec: ReadModelSpec;
  const f = new EventFactory('acc-1');

  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(() => spec.close());
  beforeEach(() => spec.reset());

  it('given nothing, when a result arrives twice (the second replayed), then the first result shows', async () => {
    await spec.given(f.commandResult('cmd-1'));
    await spec.when(f.commandResult('cmd-1', { replayed: true, completedAt: T0 + 999 }));
    assert.deepEqual(await spec.reads.command('cmd-1'), {
      commandId: 'cmd-1',
      accountId: 'acc-1',
      type: 'message.send',
      status: 'SUCCEEDED',
      completedAt: T0 + 10,
      error: null,
      result: { 'wa.commands.MessageSentResult': { messageId: 'M1', chatJid: ALICE, timestamp: T0 + 10, status: 'SERVER_ACK' } },
    });
  });

  it('given nothing, when a rejection arrives twice, then its error shows', async () => {
    await spec.when(
      f.commandResult('cmd-2', { status: 'REJECTED', result: null, error: { code: 'NOT_CONNECTED', message: 'account is not connected', retriable: true, statusCode: 409, field: null } }),
    );
    const command = await spec.reads.command('cmd-2');
    assert.equal(command?.status, 'REJECTED');
    assert.deepEqual(command?.error, { code: 'NOT_CONNECTED', message: 'account is not connected', retriable: true, field: null });
    assert.equal(await spec.reads.command('unknown'), null);
  });

  it('given a result that did not settle the command (refused for now, or expired), when a retry with the same key succeeds, then the success shows', async () => {
    const notConnected = { code: 'NOT_CONNECTED', message: 'account is not connected', retriable: true, statusCode: 409, field: null };
    await spec.given(f.commandResult('cmd-4', { status: 'REJECTED', result: null, error: notConnected }));
    await spec.given(f.commandResult('cmd-5', { status: 'EXPIRED', result: null, error: { code: 'DEADLINE_EXCEEDED', message: 'too late', retriable: false, statusCode: 408, field: null } }));
    await spec.when(f.commandResult('cmd-4', { completedAt: T0 + 500 }));
    await spec.when(f.commandResult('cmd-5', { completedAt: T0 + 600 }));
    for (const [id, at] of [['cmd-4', T0 + 500], ['cmd-5', T0 + 600]] as const) {
      const command = await spec.reads.command(id);
      assert.equal(command?.status, 'SUCCEEDED', id);
      assert.equal(command?.completedAt, at, id);
      assert.equal(command?.error, null, id);
    }
  });

  it('given a result that settled the command, when another result of it arrives, then the first stays', async () => {
    await spec.given(f.commandResult('cmd-6', { status: 'FAILED', result: null, error: { code: 'TIMEOUT', message: 'no answer', retriable: true, statusCode: 408, field: null } }));
    await spec.when(f.commandResult('cmd-6', { completedAt: T0 + 700 }));
    const command = await spec.reads.command('cmd-6');
    assert.equal(command?.status, 'FAILED');
    assert.equal(command?.completedAt, T0 + 10);
  });

  it('keeps command results when the account is deleted', async () => {
    await spec.given(f.commandResult('cmd-3', { type: 'account.delete', result: null }));
    await spec.when(f.account('account.deleted', 'AccountDeleted', { deletedBy: 'admin', purgeData: true }));
    assert.equal((await spec.reads.command('cmd-3'))?.type, 'account.delete');
  });
});
