import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeliveryErrorKind } from '../http/index.js';
import { classifyResponse, type ResponseClass } from './classifyResponse.js';

describe('classifyResponse: what an attempt means for the delivery', () => {
  it('delivers on 2xx, gives up on 410 and retries everything else', () => {
    const table: Array<[number | null, DeliveryErrorKind | null, ResponseClass]> = [
      [200, null, 'delivered'],
      [201, null, 'delivered'],
      [204, null, 'delivered'],
      [299, null, 'delivered'],
      [200, 'timeout', 'delivered'],
      [200, 'network', 'delivered'],
      [410, null, 'gone'],
      [301, 'redirect', 'retry'],
      [302, 'redirect', 'retry'],
      [307, 'redirect', 'retry'],
      [304, 'redirect', 'retry'],
      [400, null, 'retry'],
      [401, null, 'retry'],
      [404, null, 'retry'],
      [408, null, 'retry'],
      [413, null, 'retry'],
      [429, null, 'retry'],
      [500, null, 'retry'],
      [502, null, 'retry'],
      [503, null, 'retry'],
      [504, 'timeout', 'retry'],
      [null, 'timeout', 'retry'],
      [null, 'refused', 'retry'],
      [null, 'dns', 'retry'],
      [null, 'tls', 'retry'],
      [null, 'network', 'retry'],
      [null, 'private-address', 'retry'],
      [null, null, 'retry'],
    ];
    for (const [status, kind, expected] of table) assert.equal(classifyResponse(status, kind), expected, `${status} ${kind}`);
  });
});
