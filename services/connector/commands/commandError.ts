import { WaError, type WaErrorCode } from '../../shared/index.js';
import type { CommandErrorValue } from '../../shared/commands/index.js';

const MESSAGE_MAX = 500;

/** The shape of a Baileys error: a `@hapi/boom` error carrying WhatsApp's status code. */
interface BoomLike {
  isBoom: true;
  message: string;
  output: { statusCode: number };
}

/** How a WaError code reads as a command error code (schemas/commands/CommandError.avsc). */
const WA_ERROR_CODES: Partial<Record<WaErrorCode, string>> = {
  INVALID_ARGUMENT: 'VALIDATION_FAILED',
  UNAVAILABLE: 'NOT_CONNECTED',
};

/**
 * Maps anything a command's execution threw to `wa.commands.CommandError`: WaError keeps its
 * code (or the command code in `details.commandCode`), field and retriable flag; a Baileys
 * Boom error maps by WhatsApp's status code; anything else is INTERNAL, without its message,
 * which could carry what it was processing.
 */
export function commandError(error: unknown): CommandErrorValue {
  if (error instanceof WaError) {
    const boom = isBoom(error.cause) ? error.cause : null;
    const commandCode = error.details?.['commandCode'];
    return {
      code: typeof commandCode === 'string' ? commandCode : (WA_ERROR_CODES[error.code] ?? error.code),
      message: clip(error.message),
      retriable: error.retriable,
      statusCode: boom === null ? null : boom.output.statusCode,
      field: error.field ?? null,
    };
  }
  if (isBoom(error)) return boomError(error);
  return {
    code: 'INTERNAL',
    message: `internal error (${error instanceof Error ? error.name : typeof error})`,
    retriable: false,
    statusCode: null,
    field: null,
  };
}

/** A command error of `decide`'s own making (a rejection before any side effect). */
export function rejection(code: string, message: string, options: { field?: string; retriable?: boolean } = {}): CommandErrorValue {
  return { code, message, retriable: options.retriable ?? false, statusCode: null, field: options.field ?? null };
}

/** The error of an EXPIRED result: the deadline passed before the command ran. */
export function deadlineExceeded(deadline: number, now: number): CommandErrorValue {
  return rejection('DEADLINE_EXCEEDED', `the deadline passed ${Math.max(0, now - deadline)} ms before the command could run`);
}

function boomError(error: BoomLike): CommandErrorValue {
  const statusCode = error.output.statusCode;
  const [code, retriable] = boomCode(statusCode);
  return { code, message: clip(error.message), retriable, statusCode, field: null };
}

/** WhatsApp / Baileys status codes (Boom `output.statusCode`, Baileys' DisconnectReason) as command codes. */
function boomCode(statusCode: number): [code: string, retriable: boolean] {
  switch (statusCode) {
    case 400:
      return ['VALIDATION_FAILED', false];
    case 401:
      return ['UNAUTHORIZED', false];
    case 403:
      return ['FORBIDDEN', false];
    case 404:
      return ['NOT_FOUND', false];
    case 408:
      return ['TIMEOUT', true];
    case 409:
      return ['CONFLICT', false];
    case 413:
      return ['PAYLOAD_TOO_LARGE', false];
    case 428:
      // DisconnectReason.connectionClosed: the socket went away mid-command; it reconnects.
      return ['NOT_CONNECTED', true];
    case 429:
      return ['RATE_LIMITED', true];
    case 440:
      // DisconnectReason.connectionReplaced: another client took the session; not reopened by itself.
      return ['NOT_CONNECTED', false];
    default:
      return ['WHATSAPP_ERROR', statusCode >= 500];
  }
}

function isBoom(error: unknown): error is BoomLike {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { isBoom?: unknown; output?: { statusCode?: unknown } };
  return candidate.isBoom === true && typeof candidate.output?.statusCode === 'number';
}

function clip(message: string): string {
  return message.length > MESSAGE_MAX ? `${message.slice(0, MESSAGE_MAX - 1)}…` : message;
}
