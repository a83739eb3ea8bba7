import { qrTerminal } from '../../../shared/index.js';

/** The text printed for a QR: which account it links and the QR itself. */
export function qrBanner(accountId: string, qr: string): string {
  return `\nScan this QR code with WhatsApp (Linked devices) to link account ${accountId}:\n${qrTerminal(qr)}\n`;
}

/**
 * Prints a QR in the terminal, as WILDCAT did ("watch the server logs for a QR code"). It goes
 * to stdout, never through the logger: a QR is a linking secret and logs are shipped elsewhere.
 */
export function printQr(accountId: string, qr: string, write: (text: string) => void = (text) => void process.stdout.write(text)): void {
  let banner: string;
  try {
    banner = qrBanner(accountId, qr);
  } catch {
    return; // A QR that cannot be drawn is still served by the API; the terminal just misses it.
  }
  write(banner);
}
