import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectAnswer, connectAnswerSchema, pairingAnswer, pairingAnswerSchema } from './connectionRoutes.js';

const BASE = { state: 'CONNECTING', qr: null, qrExpiresAt: null, pairingCode: null, meJid: null, mePhone: null };

describe('connect answers', () => {
  it('a QR waiting to be scanned is a PNG data URL', async () => {
    const answer = await connectAnswer({ ...BASE, state: 'QR', qr: '2@AbCdEf,ghIJ==,kl', qrExpiresAt: 1 });
    assert.equal(answer.status, 'qr');
    assert.match(answer.qr!, /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    assert.equal(connectAnswerSchema.safeParse(answer).success, true);
  });

  it('an account already linked answers connected with its number', async () => {
    assert.deepEqual(await connectAnswer({ ...BASE, state: 'CONNECTED', meJid: '79991234567@s.whatsapp.net', mePhone: '79991234567' }), { status: 'connected', phone: '79991234567' });
  });

  it('no QR within the wait: still connecting', async () => {
    assert.deepEqual(await connectAnswer(BASE), { status: 'connecting' });
  });

  it('pairing code grouped as people type it', () => {
    const answer = pairingAnswer({ ...BASE, state: 'PAIRING', pairingCode: 'ABCD1234' });
    assert.deepEqual(answer, { pairingCode: 'ABCD-1234', status: 'connecting' });
    assert.equal(pairingAnswerSchema.safeParse(answer).success, true);
    assert.deepEqual(pairingAnswer({ ...BASE, state: 'CONNECTED' }), { pairingCode: null, status: 'connected' });
  });
});
