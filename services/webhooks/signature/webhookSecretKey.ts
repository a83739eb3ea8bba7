import { WaError } from '../../shared/index.js';

const PREFIX = 'whsec_';
// Strict, padded standard base64: what `generateSecret` produces and the spec's libraries decode.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The HMAC key of a Standard Webhooks secret `whsec_<base64>`: the decoded bytes. Any other
 * form is a WaError naming `secret` (the message never repeats the secret).
 */
export function webhookSecretKey(secret: string): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(PREFIX)) {
    throw new WaError('INVALID_ARGUMENT', `secret must have the form ${PREFIX}<base64>`, { field: 'secret' });
  }
  const encoded = secret.slice(PREFIX.length);
  if (encoded.length === 0 || !BASE64.test(encoded)) {
    throw new WaError('INVALID_ARGUMENT', `secret must be ${PREFIX} followed by non-empty padded base64`, { field: 'secret' });
  }
  return Buffer.from(encoded, 'base64');
}
