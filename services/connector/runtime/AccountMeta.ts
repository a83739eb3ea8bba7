import type { EventTopicName } from '../events/index.js';

/** How a session links when it has no credentials yet. */
export type LinkMethod = { method: 'QR' } | { method: 'PAIRING_CODE'; phoneNumber: string };

/**
 * What the connector keeps about an account beside Baileys' own keys: stored as the
 * `backbone/account` entry of wa.session-state.v1, written in the same transaction as the
 * account's events, so the per-topic sequences never go back after a crash.
 */
export interface AccountMeta {
  accountId: string;
  exists: boolean;
  name: string | null;
  department: string | null;
  autoConnect: boolean;
  collectionName: string | null;
  createdAt: number;
  /** The command that created the account: its redelivery is answered, not rejected. */
  createdBy: string | null;
  updatedAt: number | null;
  /** The session should be open: set by connect (and autoConnect), cleared by disconnect and logout. */
  wantConnected: boolean;
  link: LinkMethod;
  loggedOut: boolean;
  /** Last `wa.account.ConnectionState` symbol. */
  state: string;
  meJid: string | null;
  sequences: Record<EventTopicName, number>;
}

/** Meta of an account never seen: not existing, sequences at zero. */
export function emptyMeta(accountId: string): AccountMeta {
  return {
    accountId,
    exists: false,
    name: null,
    department: null,
    autoConnect: false,
    collectionName: null,
    createdAt: 0,
    createdBy: null,
    updatedAt: null,
    wantConnected: false,
    link: { method: 'QR' },
    loggedOut: false,
    state: 'NOT_STARTED',
    meJid: null,
    sequences: { conversation: 0, account: 0, presence: 0 },
  };
}

/** `+` and digits of a JID's user part: the account's phone number. */
export function phoneOf(jid: string | null): string | null {
  if (!jid) return null;
  const user = jid.split('@')[0]?.split(':')[0] ?? '';
  return /^\d+$/.test(user) ? user : null;
}
