import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpStatusOf } from '../../../shared/index.js';
import type { CommandResultValue } from '../../ApiServices.js';
import { documentedFailure } from '../shared/index.js';
import { ACCOUNT_ERRORS } from './wildcatErrors.js';

function rejected(code: string): CommandResultValue {
  return {
    commandId: 'cmd-1',
    accountId: 'mybot',
    type: 'account.create',
    status: 'REJECTED',
    completedAt: 1,
    error: { code, message: `account mybot: ${code}`, retriable: false, statusCode: null, field: null },
    result: null,
    eventIds: [],
    durationMs: 5,
    correlationId: 'req-1',
    replayed: false,
  };
}

describe('ACCOUNT_ERRORS', () => {
  it('answers an existing account as the document does (400 "Account already exists"), naming id', () => {
    // Found by the API fuzz (test/integration/apiFuzz.test.ts): POST /accounts of a taken id answered a 400 naming no field.
    const error = documentedFailure(rejected('ACCOUNT_EXISTS'), ACCOUNT_ERRORS);
    assert.deepEqual([httpStatusOf(error), error.message, error.field], [400, 'Account already exists', 'id']);
  });

  it('answers an unknown account with 404 "Account not found"', () => {
    const error = documentedFailure(rejected('ACCOUNT_NOT_FOUND'), ACCOUNT_ERRORS);
    assert.deepEqual([httpStatusOf(error), error.message], [404, 'Account not found']);
  });
});
