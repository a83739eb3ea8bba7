import type { AccountEvent, Avro, ProjectedEvent } from '../../events/index.js';
import type { AccountStatus } from '../ReadModels.js';
import { statement, type Statement } from '../shared/index.js';

/** The status both API documents show for a connection state; null for UNKNOWN (nothing learnt). */
export function accountStatusOf(state: Avro.ConnectionState): AccountStatus | null {
  switch (state) {
    case 'NOT_STARTED':
      return 'not_started';
    case 'CONNECTING':
      return 'connecting';
    case 'QR':
      return 'qr';
    case 'PAIRING':
      return 'pairing';
    case 'CONNECTED':
      return 'connected';
    case 'RECONNECTING':
      return 'reconnecting';
    case 'DISCONNECTED':
      return 'disconnected';
    case 'LOGGED_OUT':
      return 'logged_out';
    case 'UNKNOWN':
      return null;
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

// A QR code or pairing code is only worth showing while the session waits for one.
const CODE_STATES: ReadonlySet<Avro.ConnectionState> = new Set(['CONNECTING', 'QR', 'PAIRING']);

function connectionState(event: Extract<AccountEvent, { type: 'connection.state' }>): Statement[] {
  const { accountId, eventId, occurredAt, data } = event;
  const history = statement(
    `INSERT INTO connection_history (account_id, event_id, state, reason, at)
     SELECT $1::text, $2::text, $3::text, $4::text, $5::bigint WHERE EXISTS (SELECT 1 FROM accounts WHERE account_id = $1)
     ON CONFLICT (account_id, event_id) DO NOTHING`,
    [accountId, eventId, data.state, data.reason, occurredAt],
  );
  const status = accountStatusOf(data.state);
  if (status === null) return [history];
  const keepCodes = CODE_STATES.has(data.state);
  // Newest wins: a re-delivered older state change is ignored.
  const update = statement(
    `UPDATE accounts SET
       status = $2, connection_state = $3, status_at = $4,
       me_jid = COALESCE($5, me_jid), me_lid = COALESCE($6, me_lid), phone = COALESCE($7, phone),
       qr = CASE WHEN $8 THEN qr END, qr_expires_at = CASE WHEN $8 THEN qr_expires_at END,
       pairing_code = CASE WHEN $8 THEN pairing_code END,
       updated_at = GREATEST(updated_at, $4)
     WHERE account_id = $1 AND status_at <= $4`,
    [accountId, status, data.state, occurredAt, data.meJid, data.meLid, data.mePhone, keepCodes],
  );
  return [history, update];
}

/** accounts: lifecycle, settings, connection status, QR and pairing codes, connection history. */
export function evolveAccounts(event: ProjectedEvent): Statement[] {
  if (event.topic !== 'account') return [];
  const { accountId, occurredAt } = event;
  switch (event.type) {
    case 'account.created': {
      const { name, department, autoConnect, collectionName } = event.data;
      return [
        statement(
          `INSERT INTO accounts (account_id, name, department, auto_connect, collection_name, settings_at, status, status_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'not_started', $6, $6, $6)
           ON CONFLICT (account_id) DO NOTHING`,
          [accountId, name, department, autoConnect, collectionName, occurredAt],
        ),
      ];
    }
    case 'account.updated': {
      const { name, department, autoConnect, collectionName } = event.data;
      return [
        statement(
          `UPDATE accounts SET
             name = COALESCE($2, name), department = COALESCE($3, department),
             auto_connect = COALESCE($4, auto_connect), collection_name = COALESCE($5, collection_name),
             settings_at = $6, updated_at = GREATEST(updated_at, $6)
           WHERE account_id = $1 AND settings_at <= $6`,
          [accountId, name, department, autoConnect, collectionName, occurredAt],
        ),
      ];
    }
    case 'account.deleted':
      return [
        statement('DELETE FROM connection_history WHERE account_id = $1', [accountId]),
        statement('DELETE FROM accounts WHERE account_id = $1', [accountId]),
      ];
    case 'connection.qr':
      return [
        statement(
          `UPDATE accounts SET qr = $2, qr_expires_at = $3, last_qr_at = $4, updated_at = GREATEST(updated_at, $4)
           WHERE account_id = $1 AND COALESCE(last_qr_at, 0) <= $4`,
          [accountId, event.data.qr, event.data.expiresAt, occurredAt],
        ),
      ];
    case 'connection.pairing_code':
      return [
        statement(
          `UPDATE accounts SET pairing_code = $2, pairing_code_at = $3, updated_at = GREATEST(updated_at, $3)
           WHERE account_id = $1 AND COALESCE(pairing_code_at, 0) <= $3`,
          [accountId, event.data.code, occurredAt],
        ),
      ];
    case 'connection.state':
      return connectionState(event);
    default:
      return [];
  }
}
