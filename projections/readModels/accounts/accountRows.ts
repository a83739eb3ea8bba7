import type { AccountRow, AccountStatus, ConnectionHistoryRow } from '../ReadModels.js';

/** An `accounts` row as the read side shows it. */
export function toAccountRow(row: Record<string, unknown>): AccountRow {
  return {
    accountId: row.account_id as string,
    name: row.name as string | null,
    department: row.department as string | null,
    autoConnect: row.auto_connect as boolean,
    collectionName: row.collection_name as string | null,
    status: row.status as AccountStatus,
    connectionState: row.connection_state as string | null,
    meJid: row.me_jid as string | null,
    phone: row.phone as string | null,
    qr: row.qr as string | null,
    qrExpiresAt: row.qr_expires_at as number | null,
    lastQrAt: row.last_qr_at as number | null,
    pairingCode: row.pairing_code as string | null,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
    statusAt: row.status_at as number,
  };
}

/** A `connection_history` row. */
export function toConnectionHistoryRow(row: Record<string, unknown>): ConnectionHistoryRow {
  return { accountId: row.account_id as string, state: row.state as string, reason: row.reason as string | null, at: row.at as number };
}
