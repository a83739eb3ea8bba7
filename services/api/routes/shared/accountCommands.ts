import { phoneDigits, type CommandPayload } from '../../../shared/commands/index.js';

/** The `account.connect` payload: a QR, or a pairing code for `phoneNumber` (sent as digits). */
export function connectPayload(phoneNumber: string | null = null): CommandPayload {
  if (phoneNumber === null) return { 'wa.commands.ConnectAccount': { method: 'QR', phoneNumber: null } };
  return { 'wa.commands.ConnectAccount': { method: 'PAIRING_CODE', phoneNumber: phoneDigits(phoneNumber) ?? phoneNumber } };
}

/** The `account.disconnect` / `account.logout` payload. */
export function endSessionPayload(reason: string | null = null): CommandPayload {
  return { 'wa.commands.EndSession': { reason } };
}

/** The `account.delete` payload: both documents promise the account's messages, media and settings go too. */
export function deleteAccountPayload(): CommandPayload {
  return { 'wa.commands.DeleteAccount': { purgeData: true } };
}
