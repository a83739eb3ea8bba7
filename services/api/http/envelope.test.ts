import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WaError } from '../../shared/index.js';
import { acceptedBody, errorBody, successBody, surfaceOfPath } from './envelope.js';

describe('envelopes', () => {
  it('given a path, then the surface of its document', () => {
    assert.equal(surfaceOfPath('/accounts/x/y'), 'wildcat');
    assert.equal(surfaceOfPath('/ping'), 'wildcat');
    assert.equal(surfaceOfPath('/channels/a'), 'whapi');
    assert.equal(surfaceOfPath('/messages/text'), 'whapi');
    assert.equal(surfaceOfPath('/commands/1'), 'system');
    assert.equal(surfaceOfPath('/'), 'system');
  });

  it('given a JSON result, then each surface wraps it its own way', () => {
    assert.deepEqual(successBody('wildcat', 'spread', { messageId: 'm' }), { ok: true, messageId: 'm' });
    assert.deepEqual(successBody('whapi', 'data', [1]), { success: true, data: [1] });
    assert.deepEqual(successBody('whapi', 'spread', { qr: 'q' }), { success: true, qr: 'q' });
    assert.deepEqual(successBody('system', 'raw', { status: 'connected' }), { status: 'connected' });
    assert.throws(() => successBody('wildcat', 'spread', [1]), WaError);
  });

  it('given an accepted command, then the pending body of each surface', () => {
    assert.deepEqual(acceptedBody('wildcat', 'c1'), { ok: true, commandId: 'c1', status: 'pending' });
    assert.deepEqual(acceptedBody('whapi', 'c1'), { success: true, commandId: 'c1', status: 'pending' });
  });

  it('given an error, then the message shows below 500 only, with field and commandId', () => {
    const refused = new WaError('NOT_FOUND', 'Account not found', { field: 'accountId', details: { commandId: 'c9' } });
    assert.deepEqual(errorBody('wildcat', refused, 404), { ok: false, error: 'Account not found', code: 'NOT_FOUND', field: 'accountId', commandId: 'c9' });
    assert.deepEqual(errorBody('whapi', refused, 404), { success: false, error: { code: 'NOT_FOUND', message: 'Account not found', field: 'accountId', commandId: 'c9' } });
    const failed = new WaError('UPSTREAM', 'socket closed at 10.0.0.3', { field: 'to' });
    assert.deepEqual(errorBody('wildcat', failed, 502), { ok: false, error: 'upstream_error', code: 'UPSTREAM' });
    assert.deepEqual(errorBody('system', failed, 500), { success: false, error: { code: 'UPSTREAM', message: 'internal_error' } });
  });
});
