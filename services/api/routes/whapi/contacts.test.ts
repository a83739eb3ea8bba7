import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContactRow } from '../../../../projections/readModels/index.js';
import {
  checkPhonesBody,
  checkPhonesPayload,
  contactRowToWhapi,
  contactTargetPayload,
  fetchProfilePayload,
  getContactProfile,
  phoneChecksBody,
  whapiContactSchema,
} from './contacts.js';
import { successBody } from '../../http/index.js';
import { documentedFields } from './documentedFields.js';
import { profileBody } from './profileViews.js';
import { assertRejects, decodedResult, plain, roundTripCommand, valid } from './testing/whapiTesting.js';

const ALICE = '79991234567@s.whatsapp.net';

describe('WHAPI contacts', () => {
  it('a contact row answers its names, picture, about text and block state', () => {
    const row: ContactRow = {
      accountId: 'ch-1',
      jid: ALICE,
      phone: '79991234567',
      lid: '123456789012345@lid',
      name: 'Alice (work)',
      notify: 'Alice',
      verifiedName: null,
      pictureUrl: 'https://pps.whatsapp.net/alice.jpg',
      status: 'Busy',
      blocked: false,
    };
    const body = contactRowToWhapi(row);
    assert.deepEqual(body, {
      id: ALICE,
      phone: '79991234567',
      lid: '123456789012345@lid',
      name: 'Alice (work)',
      pushName: 'Alice',
      verifiedName: null,
      picture: 'https://pps.whatsapp.net/alice.jpg',
      status: 'Busy',
      blocked: false,
    });
    whapiContactSchema.parse(body);
  });

  it('check: the numbers as written go to contact.check; the answer is the document’s { phone, exists, jid }', () => {
    const payload = checkPhonesPayload(valid(checkPhonesBody, { phones: ['79991234567', ' 0001234567 '] }));
    assert.deepEqual(payload, { 'wa.commands.CheckPhones': { phones: ['79991234567', '0001234567'] } });
    assert.deepEqual(plain(roundTripCommand('contact.check', payload)), plain(payload));
    const result = decodedResult('contact.check', 'wa.commands.ContactCheckResult', {
      results: [
        { phone: '79991234567', exists: true, jid: ALICE, lid: null },
        { phone: '0001234567', exists: false, jid: null, lid: null },
      ],
    });
    assert.deepEqual(phoneChecksBody(result), [
      { phone: '79991234567', exists: true, jid: ALICE },
      { phone: '0001234567', exists: false, jid: null },
    ]);
  });

  it('block, unblock and profile payloads encode', () => {
    assert.deepEqual(plain(roundTripCommand('contact.block', contactTargetPayload(ALICE))), { 'wa.commands.ContactTarget': { jid: ALICE } });
    assert.deepEqual(plain(roundTripCommand('contact.unblock', contactTargetPayload(ALICE))), { 'wa.commands.ContactTarget': { jid: ALICE } });
    assert.deepEqual(plain(roundTripCommand('profile.fetch', fetchProfilePayload(ALICE))), { 'wa.commands.FetchProfile': { jid: ALICE } });
  });

  it('profile: { name, status, picture } beside success and as data', () => {
    const result = decodedResult('profile.fetch', 'wa.account.Profile', {
      jid: ALICE,
      name: 'Alice',
      statusText: 'Busy',
      statusSetAt: null,
      pictureState: null,
      pictureUrl: 'https://pps.whatsapp.net/alice.jpg',
      pictureId: '1',
    });
    const fields = { name: 'Alice', status: 'Busy', picture: 'https://pps.whatsapp.net/alice.jpg' };
    assert.deepEqual(profileBody(result), fields);
    assert.deepEqual(documentedFields(profileBody(result)), { kind: 'json', body: { ...fields, data: fields } });
    assert.deepEqual(successBody('whapi', 'spread', documentedFields(profileBody(result)).body), { success: true, ...fields, data: fields });
  });

  it('validation names the field', () => {
    assertRejects(checkPhonesBody, {}, 'phones');
    assertRejects(checkPhonesBody, { phones: [] }, 'phones');
    assertRejects(checkPhonesBody, { phones: ['79991234567', 'abc'] }, 'phones.1');
    assert.deepEqual(valid(checkPhonesBody, { phones: '79991234567,79997654321' }).phones, ['79991234567', '79997654321']);
    assert.ok(getContactProfile.params);
    assertRejects(getContactProfile.params, { phone: '120363012345678901@g.us' }, 'phone', 'params');
    assert.deepEqual(valid(getContactProfile.params, { phone: '+7 999 123 45 67' }, 'params'), { phone: ALICE });
  });
});
