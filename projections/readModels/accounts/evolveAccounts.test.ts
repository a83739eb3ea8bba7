import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { EventFactory, ME, ME_LID, ReadModelSpec, T0 } from '../testing/index.js';

describe('accounts read model', () => {
  let spec: ReadModelSpec;
  const f = new EventFactory('acc-1');
  const created = () => f.account('account.created', 'AccountCreated', { name: 'Bot', department: 'sales', autoConnect: true, collectionName: 'auth_bot', createdBy: 'admin' }, { at: T0, eventId: 'created-1' });
  const state = (s: string, at: number, extra: Record<string, unknown> = {}) =>
    f.account('connection.state', 'ConnectionStateChanged', { state: s, connectionId: 'c1', ...extra }, { at, eventId: `state-${s}-${at}` });

  before(async () => {
    spec = await ReadModelSpec.start();
  });
  after(() => spec.close());
  beforeEach(() => spec.reset());

  it('given nothing, when account.created twice, then one account not started with its settings', async () => {
    await spec.when(created());
    const account = await spec.reads.account('acc-1');
    assert.equal(account?.status, 'not_started');
    assert.equal(account?.name, 'Bot');
    assert.equal(account?.department, 'sales');
    assert.equal(account?.autoConnect, true);
    assert.equal(account?.collectionName, 'auth_bot');
    assert.equal(account?.createdAt, T0);
    assert.equal((await spec.reads.accounts()).length, 1);
  });

  it('given an account, when account.updated twice, then changed fields change and null ones stay', async () => {
    await spec.given(created());
    await spec.when(f.account('account.updated', 'AccountUpdated', { name: 'Renamed', department: null, autoConnect: false, collectionName: null, updatedBy: 'admin' }, { at: T0 + 10 }));
    const account = await spec.reads.account('acc-1');
    assert.equal(account?.name, 'Renamed');
    assert.equal(account?.department, 'sales');
    assert.equal(account?.autoConnect, false);
  });

  it('given a newer update, when an older update arrives late, then the newer settings stay', async () => {
    await spec.given(created(), f.account('account.updated', 'AccountUpdated', { name: 'New', updatedBy: 'admin' }, { at: T0 + 20 }));
    await spec.when(f.account('account.updated', 'AccountUpdated', { name: 'Old', updatedBy: 'admin' }, { at: T0 + 10 }));
    assert.equal((await spec.reads.account('acc-1'))?.name, 'New');
  });

  it('given a connecting account, when connection.qr twice, then the QR, its expiry and the QR time show', async () => {
    await spec.given(created(), state('CONNECTING', T0 + 1), state('QR', T0 + 2));
    await spec.when(f.account('connection.qr', 'QrCodeIssued', { qr: '2@abc', attempt: 1, expiresAt: T0 + 60_003, connectionId: 'c1' }, { at: T0 + 3 }));
    const account = await spec.reads.account('acc-1');
    assert.equal(account?.status, 'qr');
    assert.equal(account?.qr, '2@abc');
    assert.equal(account?.qrExpiresAt, T0 + 60_003);
    assert.equal(account?.lastQrAt, T0 + 3);
  });

  it('given a QR, when connection.state CONNECTED twice, then connected with the phone and the QR gone, and history has each state once', async () => {
    await spec.given(created(), state('CONNECTING', T0 + 1), f.account('connection.qr', 'QrCodeIssued', { qr: '2@abc', attempt: 1, expiresAt: T0 + 60_000, connectionId: 'c1' }, { at: T0 + 2 }));
    await spec.when(state('CONNECTED', T0 + 5, { meJid: ME, meLid: ME_LID, mePhone: '15550000001' }));
    const account = await spec.reads.account('acc-1');
    assert.equal(account?.status, 'connected');
    assert.equal(account?.connectionState, 'CONNECTED');
    assert.equal(account?.meJid, ME);
    assert.equal(account?.phone, '15550000001');
    assert.equal(account?.qr, null);
    assert.equal(account?.lastQrAt, T0 + 2);
    assert.equal(account?.statusAt, T0 + 5);
    const history = await spec.reads.connectionHistory('acc-1', { limit: 10, offset: 0 });
    assert.deepEqual(history.map((h) => h.state), ['CONNECTED', 'CONNECTING']);
  });

  it('given connected, when an older state change is delivered again, then the status stays', async () => {
    await spec.given(created(), state('CONNECTING', T0 + 1), state('CONNECTED', T0 + 5, { meJid: ME }));
    await spec.when(state('CONNECTING', T0 + 1));
    assert.equal((await spec.reads.account('acc-1'))?.status, 'connected');
  });

  it('given pairing, when connection.pairing_code twice, then the code shows until connected', async () => {
    await spec.given(created(), state('PAIRING', T0 + 1));
    await spec.when(f.account('connection.pairing_code', 'PairingCodeIssued', { code: 'ABCD-EFGH', phoneNumber: '15550000001', expiresAt: null, connectionId: 'c1' }, { at: T0 + 2 }));
    assert.equal((await spec.reads.account('acc-1'))?.pairingCode, 'ABCD-EFGH');
    await spec.given(state('CONNECTED', T0 + 3, { meJid: ME }));
    assert.equal((await spec.reads.account('acc-1'))?.pairingCode, null);
  });

  it('given logged out with a reason, then history keeps the reason', async () => {
    await spec.given(created());
    await spec.when(state('LOGGED_OUT', T0 + 9, { reason: 'LOGGED_OUT', statusCode: 401 }));
    assert.equal((await spec.reads.account('acc-1'))?.status, 'logged_out');
    assert.deepEqual(await spec.reads.connectionHistory('acc-1', { limit: 10, offset: 0 }), [{ accountId: 'acc-1', state: 'LOGGED_OUT', reason: 'LOGGED_OUT', at: T0 + 9 }]);
  });

  it('given an account with history, when account.deleted twice, then it is gone and later state changes do not bring it back', async () => {
    await spec.given(created(), state('CONNECTED', T0 + 5, { meJid: ME }));
    await spec.when(f.account('account.deleted', 'AccountDeleted', { deletedBy: 'admin', purgeData: true }, { at: T0 + 6 }));
    await spec.given(state('DISCONNECTED', T0 + 7));
    assert.equal(await spec.reads.account('acc-1'), null);
    assert.deepEqual(await spec.reads.connectionHistory('acc-1', { limit: 10, offset: 0 }), []);
  });
});
