import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { WaError } from '../../shared/index.js';
import { validateInput } from './validateInput.js';

function refusal(schema: z.ZodType, input: unknown, part: 'params' | 'query' | 'body' = 'body'): { field: string | undefined; message: string } {
  try {
    validateInput(schema, input, part);
  } catch (error) {
    assert.ok(error instanceof WaError);
    assert.equal(error.code, 'INVALID_ARGUMENT');
    return { field: error.field, message: error.message };
  }
  assert.fail('the input was accepted');
}

describe('validateInput', () => {
  const contact = z.object({ to: z.string(), contact: z.object({ fullName: z.string(), phone: z.string().min(3) }), tags: z.array(z.string()).max(2).optional() });

  it('given valid input, then the parsed value (coerced, defaulted)', () => {
    assert.deepEqual(validateInput(z.object({ limit: z.coerce.number().default(50) }), { limit: '7' }, 'query'), { limit: 7 });
    assert.deepEqual(validateInput(z.object({ limit: z.coerce.number().default(50) }), {}, 'query'), { limit: 50 });
  });

  it('given a missing nested field, then its dotted path and "is required"', () => {
    assert.deepEqual(refusal(contact, { to: '1', contact: { fullName: 'J' } }), { field: 'contact.phone', message: 'contact.phone is required' });
  });

  it('given wrong types and sizes, then the message says what is expected', () => {
    assert.deepEqual(refusal(contact, { to: 1, contact: { fullName: 'J', phone: '123' } }), { field: 'to', message: 'to must be a string' });
    assert.deepEqual(refusal(contact, { to: '1', contact: { fullName: 'J', phone: '1' } }), { field: 'contact.phone', message: 'contact.phone must be at least 3 characters long' });
    assert.deepEqual(refusal(contact, { to: '1', contact: { fullName: 'J', phone: '123' }, tags: ['a', 'b', 'c'] }), { field: 'tags', message: 'tags must have at most 2 items' });
    assert.deepEqual(refusal(z.object({ status: z.enum(['read', 'delivered']) }), { status: 'x' }), { field: 'status', message: 'status must be one of "read", "delivered"' });
    assert.deepEqual(refusal(z.object({ n: z.coerce.number() }), { n: 'abc' }, 'query'), { field: 'n', message: 'n must be a number' });
  });

  it('given an array element, then its index is part of the field', () => {
    assert.deepEqual(refusal(z.object({ phones: z.array(z.string()) }), { phones: ['1', 2] }), { field: 'phones.1', message: 'phones.1 must be a string' });
  });

  it("given a route's own message, then it is shown as written", () => {
    const schema = z.object({ id: z.string({ error: 'id is required' }) });
    assert.deepEqual(refusal(schema, {}), { field: 'id', message: 'id is required' });
  });

  it('given an unknown field on a strict object, then that field is named', () => {
    assert.deepEqual(refusal(z.strictObject({ a: z.string() }), { a: 'x', b: 1 }), { field: 'b', message: 'b is not an accepted field' });
  });

  it('given a problem at the root, then the input part is the field', () => {
    assert.deepEqual(refusal(z.object({ a: z.string() }), [1]), { field: 'body', message: 'body must be an object' });
    assert.deepEqual(refusal(z.object({ id: z.string().regex(/^\d+$/) }), { id: 'x' }, 'params'), { field: 'id', message: 'id has an invalid format' });
  });
});
