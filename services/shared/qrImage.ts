import { createRequire } from 'node:module';
import { WaError } from './WaError.js';

// `qrcode` ships no type declarations (and @types/qrcode is not a dependency): these are the
// three calls used here, as documented by the package.
interface QrCodeLib {
  toBuffer(text: string, options: { type: 'png'; errorCorrectionLevel: 'L' | 'M'; margin: number; scale: number }): Promise<Buffer>;
  toDataURL(text: string, options: { type: 'image/png'; errorCorrectionLevel: 'L' | 'M'; margin: number; scale: number }): Promise<string>;
  toString(text: string, options: { type: 'terminal'; small: boolean }, callback: (error: Error | null | undefined, output: string) => void): void;
}

const QRCode = createRequire(import.meta.url)('qrcode') as QrCodeLib;

// WhatsApp's own QR uses low error correction; a 4-module quiet zone is what scanners expect.
const IMAGE = { errorCorrectionLevel: 'L', margin: 4, scale: 8 } as const;

/** A PNG image of a QR payload (e.g. Baileys' `connection.update` qr string). */
export async function qrPng(qr: string): Promise<Buffer> {
  checkPayload(qr);
  try {
    return await QRCode.toBuffer(qr, { type: 'png', ...IMAGE });
  } catch (error) {
    throw renderError(error);
  }
}

/** The same PNG as a `data:image/png;base64,...` URL, for JSON responses and <img> tags. */
export async function qrDataUrl(qr: string): Promise<string> {
  checkPayload(qr);
  try {
    return await QRCode.toDataURL(qr, { type: 'image/png', ...IMAGE });
  } catch (error) {
    throw renderError(error);
  }
}

/** The QR drawn with Unicode half blocks and ANSI colours, to print in a terminal. */
export function qrTerminal(qr: string): string {
  checkPayload(qr);
  // With a callback the terminal renderer runs synchronously.
  let output: string | undefined;
  let failure: unknown;
  QRCode.toString(qr, { type: 'terminal', small: true }, (error, text) => {
    if (error) failure = error;
    else output = text;
  });
  if (failure !== undefined || output === undefined) throw renderError(failure);
  return output;
}

function checkPayload(qr: string): void {
  if (typeof qr !== 'string' || qr.length === 0) {
    throw new WaError('INVALID_ARGUMENT', 'a QR payload must be a non-empty string', { field: 'qr' });
  }
}

function renderError(cause: unknown): WaError {
  // The payload is a linking secret: it stays out of the message.
  return new WaError('INVALID_ARGUMENT', 'the QR payload cannot be rendered (too long for a QR code?)', { field: 'qr', cause });
}
