import { WaError } from '../../shared/index.js';

/** How long a pairing request waits for the socket's first QR code. */
export const PAIRING_WAIT_MS = 30_000;

/**
 * WhatsApp takes a pairing-code request only once the socket has shown its first QR code
 * (before that, registration is not under way); requests made earlier wait here.
 */
export class QrGate {
  private shown = false;
  private waiters: Array<{ resolve: () => void; reject: (error: WaError) => void }> = [];

  constructor(private readonly timeoutMs = PAIRING_WAIT_MS) {}

  /** True once the current socket showed a QR code. */
  get isOpen(): boolean {
    return this.shown;
  }

  /** The socket showed a QR code: waiting requests go ahead. Returns true the first time. */
  open(): boolean {
    if (this.shown) return false;
    this.shown = true;
    for (const waiter of this.waiters.splice(0)) waiter.resolve();
    return true;
  }

  /** A new socket: pairing waits for its first QR code again. */
  reset(): void {
    this.shown = false;
  }

  /** Resolves once a QR code was shown; rejects after the timeout or on `fail`. */
  wait(): Promise<void> {
    if (this.shown) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        reject(new WaError('TIMEOUT', `WhatsApp was not ready to pair within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const entry = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: WaError) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(entry);
    });
  }

  /** Rejects every waiting request (the session closed). */
  fail(error: WaError): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }
}

const PHONE_NUMBER = /^\d{7,15}$/;

/** Refuses a pairing phone number that is not 7 to 15 digits with country code. */
export function checkPairingPhone(phoneNumber: string): void {
  if (!PHONE_NUMBER.test(phoneNumber)) {
    throw new WaError('INVALID_ARGUMENT', 'a pairing code needs the phone number as 7 to 15 digits with country code', { field: 'phoneNumber' });
  }
}

/** The checks every driver makes before asking WhatsApp for a pairing code. */
export function checkPairingRequest(accountId: string, phoneNumber: string, linked: boolean): void {
  checkPairingPhone(phoneNumber);
  if (linked) throw new WaError('CONFLICT', `account ${accountId} is already linked`);
}
