import { z } from 'zod';
import type { AccountRow, AccountStatus } from '../../../../projections/readModels/index.js';
import { accountStatusOf as projectedStatusOf } from '../../../../projections/readModels/accounts/index.js';

/** The status words of the WILDCAT table. */
export const WILDCAT_STATUSES = ['connecting', 'connected', 'reconnecting', 'logged_out', 'not_started'] as const;
export type WildcatStatus = (typeof WILDCAT_STATUSES)[number];

/** The status words of the WHAPI `GET /channels/:id/status`. */
export const WHAPI_STATUSES = ['connected', 'disconnected', 'connecting', 'qr'] as const;
export type WhapiStatus = (typeof WHAPI_STATUSES)[number];

/** A `wa.account.ConnectionState` symbol as the read model's status (the projector's own mapping; nothing learnt yet is `not_started`). */
export function accountStatusOf(state: string): AccountStatus {
  return projectedStatusOf(state as Parameters<typeof projectedStatusOf>[0]) ?? 'not_started';
}

/**
 * An account status in WILDCAT's words. Waiting for a QR scan or a pairing code is
 * "connecting" ("Waiting for QR code scan"); a session closed on request is "not_started":
 * WILDCAT has no word for it, and nothing runs until the next connect.
 */
export function wildcatStatus(status: AccountStatus): WildcatStatus {
  switch (status) {
    case 'not_started':
    case 'disconnected':
      return 'not_started';
    case 'connecting':
    case 'qr':
    case 'pairing':
      return 'connecting';
    case 'connected':
      return 'connected';
    case 'reconnecting':
      return 'reconnecting';
    case 'logged_out':
      return 'logged_out';
    default: {
      const unreachable: never = status;
      throw new Error(`unknown account status ${String(unreachable)}`);
    }
  }
}

/** An account status in WHAPI's four words. */
export function whapiStatus(status: AccountStatus): WhapiStatus {
  switch (status) {
    case 'qr':
      return 'qr';
    case 'connected':
      return 'connected';
    case 'connecting':
    case 'pairing':
    case 'reconnecting':
      return 'connecting';
    case 'not_started':
    case 'disconnected':
    case 'logged_out':
      return 'disconnected';
    default: {
      const unreachable: never = status;
      throw new Error(`unknown account status ${String(unreachable)}`);
    }
  }
}

/** The WILDCAT default auth collection name. */
export function defaultCollectionName(accountId: string): string {
  return `auth_${accountId}`;
}

const isoDate = z.string().meta({ format: 'date-time', example: '2025-11-08T12:30:45.123Z' });

/** A WILDCAT account (`GET /accounts`, `GET /accounts/:accountId`, `POST /accounts`). */
export const wildcatAccountSchema = z.object({
  _id: z.string().meta({ example: 'mybot' }),
  name: z.string().nullable(),
  collectionName: z.string(),
  status: z.enum(WILDCAT_STATUSES),
  currentStatus: z.enum(WILDCAT_STATUSES),
  hasQR: z.boolean(),
  createdAt: isoDate,
});
export type WildcatAccount = z.infer<typeof wildcatAccountSchema>;

/** An account row in WILDCAT's shape. */
export function accountRowToWildcat(row: AccountRow): WildcatAccount {
  const status = wildcatStatus(row.status);
  return {
    _id: row.accountId,
    name: row.name,
    collectionName: row.collectionName ?? defaultCollectionName(row.accountId),
    status,
    // One source of truth: the stored status is the live one (WILDCAT kept two).
    currentStatus: status,
    hasQR: row.qr !== null,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** A WHAPI channel (`GET /channels`, `GET /channels/:id`, `POST /channels`, `PUT /channels/:id`). */
export const channelSchema = z.object({
  id: z.string().meta({ example: 'channel-123' }),
  name: z.string().nullable().meta({ example: 'Sales' }),
  department: z.string().nullable(),
  autoConnect: z.boolean(),
  status: z.enum(WHAPI_STATUSES),
  phone: z.string().nullable().meta({ example: '79991234567' }),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Channel = z.infer<typeof channelSchema>;

/** An account row in WHAPI's channel shape. */
export function accountRowToChannel(row: AccountRow): Channel {
  return {
    id: row.accountId,
    name: row.name,
    department: row.department,
    autoConnect: row.autoConnect,
    status: whapiStatus(row.status),
    phone: row.phone,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** `wa.commands.AccountResult` as decoded. */
export interface AccountResultValue {
  accountId: string;
  name: string | null;
  department: string | null;
  autoConnect: boolean;
  collectionName: string | null;
  state: string;
  createdAt: number;
  updatedAt: number | null;
  meJid: string | null;
  mePhone: string | null;
}

/** An `AccountResult` (the answer of account.create / update) as a row, so both views render it. */
export function accountResultToRow(result: AccountResultValue): AccountRow {
  const status = accountStatusOf(result.state);
  const updatedAt = result.updatedAt ?? result.createdAt;
  return {
    accountId: result.accountId,
    name: result.name,
    department: result.department,
    autoConnect: result.autoConnect,
    collectionName: result.collectionName,
    status,
    connectionState: result.state,
    meJid: result.meJid,
    phone: result.mePhone,
    qr: null,
    qrExpiresAt: null,
    lastQrAt: null,
    pairingCode: null,
    createdAt: result.createdAt,
    updatedAt,
    statusAt: updatedAt,
  };
}
