import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { httpStatusOf } from '../../shared/index.js';
import type { CommandResultValue } from '../ApiServices.js';
import { commandFailure } from './commandOutcome.js';

function failed(code: string, field: string | null = null): CommandResultValue {
  return {
    commandId: 'cmd-1',
    accountId: 'acc-a',
    type: 'business.profile.fetch',
    status: 'FAILED',
    completedAt: 0,
    error: { code, message: `failed ${code}`, retriable: false, statusCode: null, field },
    result: null,
    eventIds: [],
    durationMs: null,
    correlationId: 'req-1',
    replayed: false,
  };
}

describe('commandFailure', () => {
  it('given a connector code of a client-side cause, then a 4xx with the command id', () => {
    const cases: [string, number][] = [
      ['VALIDATION_FAILED', 400],
      ['ACCOUNT_NOT_FOUND', 404],
      ['NOT_ON_WHATSAPP', 404],
      // Found by the API fuzz (test/integration/apiFuzz.test.ts): GET /business/profile of an account
      // that is no business answered 502, the connector's NOT_A_BUSINESS being unknown here.
      ['NOT_A_BUSINESS', 404],
      ['ACCOUNT_EXISTS', 409],
      ['NOT_ADMIN', 403],
    ];
    for (const [code, status] of cases) {
      const error = commandFailure(failed(code));
      assert.equal(httpStatusOf(error), status, code);
      assert.equal(error.details?.['commandId'], 'cmd-1');
    }
  });

  it('given a code nobody knows, then an upstream failure (502)', () => {
    assert.equal(httpStatusOf(commandFailure(failed('SOMETHING_NEW'))), 502);
  });

  it('given a field of the payload, then the field as the request names it', () => {
    assert.equal(commandFailure(failed('VALIDATION_FAILED', 'content.media.mediaId')).field, 'media.mediaId');
  });
});
