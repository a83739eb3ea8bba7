import type { CommandResultValue } from '../../ApiServices.js';
import { resultBranch } from '../../http/commandOutcome.js';

/** `wa.commands.ConnectResult` as decoded. */
export interface ConnectResultValue {
  state: string;
  qr: string | null;
  qrExpiresAt: number | null;
  pairingCode: string | null;
  meJid: string | null;
  mePhone: string | null;
}

/** The ConnectResult of a succeeded account.connect. */
export function connectResultOf(result: CommandResultValue): ConnectResultValue {
  return resultBranch<ConnectResultValue>(result, 'wa.commands.ConnectResult');
}

/** A pairing code as people type it: `ABCD1234` → `ABCD-1234` (already grouped codes are kept). */
export function formatPairingCode(code: string): string {
  const plain = code.replace(/[\s-]/g, '');
  return plain.length === 8 ? `${plain.slice(0, 4)}-${plain.slice(4)}` : code;
}
