import type { SignalDataTypeMap } from '@whiskeysockets/baileys';
import { WaError } from '../../shared/index.js';

/** The parts of a `wa.session-state.v1` record key. */
export interface SessionStateKeyParts {
  accountId: string;
  rawKind: string;
  entryId: string;
}

/** `wa.session.SessionEntryKind` symbols. */
export type SessionEntryKind =
  | 'UNKNOWN'
  | 'CREDS'
  | 'PRE_KEY'
  | 'SESSION'
  | 'SENDER_KEY'
  | 'SENDER_KEY_MEMORY'
  | 'APP_STATE_SYNC_KEY'
  | 'APP_STATE_SYNC_VERSION'
  | 'LID_MAPPING'
  | 'DEVICE_LIST'
  | 'TCTOKEN'
  | 'IDENTITY_KEY';

/** rawKind and entryId of Baileys' `creds` object. */
export const CREDS_KIND = 'creds';
export const CREDS_ENTRY_ID = 'creds';

// Keyed by every Baileys key category, so a category added to SignalDataTypeMap fails to compile here.
const KIND_BY_RAW: Readonly<Record<keyof SignalDataTypeMap | typeof CREDS_KIND, SessionEntryKind>> = {
  creds: 'CREDS',
  'pre-key': 'PRE_KEY',
  session: 'SESSION',
  'sender-key': 'SENDER_KEY',
  'sender-key-memory': 'SENDER_KEY_MEMORY',
  'app-state-sync-key': 'APP_STATE_SYNC_KEY',
  'app-state-sync-version': 'APP_STATE_SYNC_VERSION',
  'lid-mapping': 'LID_MAPPING',
  'device-list': 'DEVICE_LIST',
  tctoken: 'TCTOKEN',
  'identity-key': 'IDENTITY_KEY',
};

/** The enum symbol of a Baileys category name; categories the enum does not know are UNKNOWN. */
export function sessionEntryKind(rawKind: string): SessionEntryKind {
  return Object.hasOwn(KIND_BY_RAW, rawKind) ? KIND_BY_RAW[rawKind as keyof typeof KIND_BY_RAW] : 'UNKNOWN';
}

/** The record key `<accountId>/<rawKind>/<entryId>`; only the entry id may contain '/'. */
export function sessionStateKey(accountId: string, rawKind: string, entryId: string): string {
  if (accountId.length === 0 || accountId.includes('/')) {
    throw new WaError('INVALID_ARGUMENT', 'a session-state account id must be non-empty and without "/"', { field: 'accountId' });
  }
  if (rawKind.length === 0 || rawKind.includes('/')) {
    throw new WaError('INVALID_ARGUMENT', `session-state kind "${rawKind}" must be non-empty and without "/"`, { field: 'rawKind' });
  }
  if (entryId.length === 0) {
    throw new WaError('INVALID_ARGUMENT', 'a session-state entry id must be non-empty', { field: 'entryId' });
  }
  return `${accountId}/${rawKind}/${entryId}`;
}

/** Splits a record key at its first two '/'; the entry id keeps any further '/'. */
export function parseSessionStateKey(key: string): SessionStateKeyParts {
  const first = key.indexOf('/');
  const second = first < 0 ? -1 : key.indexOf('/', first + 1);
  if (first <= 0 || second <= first + 1 || second === key.length - 1) {
    throw new WaError('CODEC', `"${key}" is not a session-state key (<accountId>/<rawKind>/<entryId>)`);
  }
  return { accountId: key.slice(0, first), rawKind: key.slice(first + 1, second), entryId: key.slice(second + 1) };
}
