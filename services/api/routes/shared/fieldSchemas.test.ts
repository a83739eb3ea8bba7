import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { accountIdField, accountIdSchema, booleanField, jidSchema, messageIdSchema, numberField, offsetPagingSchema, pageOf, phoneField, skipPagingSchema } from './fieldSchemas.js';

function firstMessage(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0]!.message;
}

describe('field schemas', () => {
  it('account ids: letters, digits, _ and -, up to 64', () => {
    for (const ok of ['mybot', 'support-bot', 'ch_0123abcd', 'A1', 'bot.eu']) assert.equal(accountIdSchema.safeParse(ok).success, true, ok);
    for (const bad of ['', '-x', 'my bot', 'a/b', 'x'.repeat(65), 'été']) assert.equal(accountIdSchema.safeParse(bad).success, false, bad);
    const id = z.object({ id: accountIdField({ field: 'id', required: 'id is required' }) });
    assert.equal(firstMessage(id, {}), 'id is required');
    assert.equal(firstMessage(id, { id: '' }), 'id is required');
    assert.match(firstMessage(id, { id: 'my bot' })!, /^id must be 1 to 64 letters/);
  });

  it('recipients: phone numbers or JIDs, with the document’s message when missing', () => {
    const body = z.object({ to: jidSchema(undefined, { field: 'to', required: 'to and message are required' }) });
    assert.equal(body.safeParse({ to: '+7 999 123 45 67' }).success, true);
    assert.equal(body.safeParse({ to: '123456789-1234567890@g.us' }).success, true);
    assert.equal(firstMessage(body, {}), 'to and message are required');
    assert.equal(firstMessage(body, { to: '' }), 'to and message are required');
    assert.match(firstMessage(body, { to: 'someone' })!, /^to must be a phone number with country code or a WhatsApp/);
    assert.match(firstMessage(jidSchema(['group']), 'x')!, /^expected a WhatsApp group JID/);
  });

  it('phones and message ids', () => {
    assert.equal(phoneField().safeParse('+79991234567').success, true);
    assert.match(firstMessage(phoneField({ field: 'phoneNumber' }), 'call me')!, /^phoneNumber must be a phone number/);
    assert.equal(messageIdSchema.safeParse('3EB0123ABCD456EF').success, true);
    assert.equal(messageIdSchema.safeParse('3EB0 123').success, false);
    assert.equal(messageIdSchema.safeParse('x'.repeat(129)).success, false);
  });

  it('paging: limit 50 by default, at most 100, from query strings', () => {
    assert.deepEqual(skipPagingSchema.parse({}), { limit: 50, skip: 0 });
    assert.deepEqual(skipPagingSchema.parse({ limit: '20', skip: '40' }), { limit: 20, skip: 40 });
    assert.deepEqual(offsetPagingSchema.parse({ limit: 100, offset: '5' }), { limit: 100, offset: 5 });
    assert.equal(firstMessage(skipPagingSchema, { limit: '101' }), 'limit must be at most 100');
    assert.equal(firstMessage(skipPagingSchema, { limit: '0' }), 'limit must be at least 1');
    assert.equal(firstMessage(offsetPagingSchema, { offset: '-1' }), 'offset must be at least 0');
    assert.equal(firstMessage(offsetPagingSchema, { limit: 'ten' }), 'limit must be a number');
    assert.equal(firstMessage(skipPagingSchema, { limit: '2.5' }), 'limit must be a whole number');
    assert.deepEqual(pageOf({ limit: 20, skip: 40 }), { limit: 20, offset: 40 });
    assert.deepEqual(pageOf({ limit: 10, offset: 3 }), { limit: 10, offset: 3 });
  });

  it('booleans and numbers also come as form or query words', () => {
    const flag = booleanField();
    assert.equal(flag.parse(true), true);
    assert.equal(flag.parse('true'), true);
    assert.equal(flag.parse('0'), false);
    assert.equal(flag.parse('FALSE'), false);
    assert.equal(flag.safeParse('yes').success, false);
    const latitude = numberField(z.number().min(-90).max(90));
    assert.equal(latitude.parse('55.7558'), 55.7558);
    assert.equal(latitude.parse(-12), -12);
    assert.equal(latitude.safeParse('north').success, false);
    assert.equal(latitude.safeParse('91').success, false);
    assert.equal(latitude.safeParse(undefined).success, false);
  });

  it('every schema renders as JSON Schema for the OpenAPI document, input and output', () => {
    for (const schema of [skipPagingSchema, offsetPagingSchema, z.object({ a: booleanField(), b: numberField(z.number()), c: jidSchema(), d: phoneField() })]) {
      assert.doesNotThrow(() => z.toJSONSchema(schema, { io: 'input' }));
      assert.doesNotThrow(() => z.toJSONSchema(schema, { io: 'output' }));
    }
  });
});
