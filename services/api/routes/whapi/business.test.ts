import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUSINESS_CATEGORIES, businessProfileBody, listBusinessCategories, updateBusinessProfileBody, updateBusinessProfilePayload } from './business.js';
import { assertRejects, decodedResult, plain, roundTripCommand, valid } from './testing/whapiTesting.js';

describe('WHAPI business profile', () => {
  it('the one website becomes a one-element websites; absent fields stay unchanged', () => {
    const payload = updateBusinessProfilePayload(valid(updateBusinessProfileBody, { description: 'Bikes', website: 'https://bikes.example.com' }));
    assert.deepEqual(payload, {
      'wa.commands.UpdateBusinessProfile': { description: 'Bikes', email: null, websites: ['https://bikes.example.com'], address: null, category: null },
    });
    assert.deepEqual(plain(roundTripCommand('business.profile.update', payload)), plain(payload));
    const cleared = updateBusinessProfilePayload(valid(updateBusinessProfileBody, { website: '' })) as { 'wa.commands.UpdateBusinessProfile': { websites: string[] | null } };
    assert.deepEqual(cleared['wa.commands.UpdateBusinessProfile'].websites, []);
    const untouched = updateBusinessProfilePayload(valid(updateBusinessProfileBody, { email: 'shop@example.com' })) as { 'wa.commands.UpdateBusinessProfile': { websites: string[] | null } };
    assert.equal(untouched['wa.commands.UpdateBusinessProfile'].websites, null);
  });

  it('answers the document’s { description, email, websites[], address, category }', () => {
    const result = decodedResult('business.profile.fetch', 'wa.account.BusinessProfile', {
      jid: '79991234567@s.whatsapp.net',
      description: 'Bikes',
      email: 'shop@example.com',
      websites: ['https://bikes.example.com'],
      address: 'Main St 1',
      category: 'Shopping & Retail',
      businessHours: null,
    });
    assert.deepEqual(businessProfileBody(result), {
      description: 'Bikes',
      email: 'shop@example.com',
      websites: ['https://bikes.example.com'],
      address: 'Main St 1',
      category: 'Shopping & Retail',
    });
  });

  it('validation names the field', () => {
    assertRejects(updateBusinessProfileBody, {}, 'body');
    assertRejects(updateBusinessProfileBody, { email: 'not-an-email' }, 'email');
    assertRejects(updateBusinessProfileBody, { website: 'javascript:alert(1)' }, 'website');
    assertRejects(updateBusinessProfileBody, { description: 'x'.repeat(513) }, 'description');
  });

  it('categories: a fixed list for any valid key, no channel', async () => {
    assert.equal(listBusinessCategories.access, 'key');
    assert.equal(listBusinessCategories.account, undefined);
    const answer = await listBusinessCategories.handler({} as never, {} as never);
    assert.equal(answer.kind, 'json');
    const body = (answer as { body: { categories: unknown[]; data: { categories: unknown[] } } }).body;
    assert.equal(body.categories.length, BUSINESS_CATEGORIES.length);
    assert.deepEqual(body.data.categories, body.categories);
    assert.equal(new Set(BUSINESS_CATEGORIES.map((category) => category.id)).size, BUSINESS_CATEGORIES.length);
  });
});
