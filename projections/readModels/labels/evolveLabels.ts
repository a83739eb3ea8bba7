import type { AccountEvent, ProjectedEvent } from '../../events/index.js';
import { statement, type Statement } from '../shared/index.js';

function association(event: Extract<AccountEvent, { type: 'label.association' }>): Statement[] {
  const { accountId, occurredAt, data } = event;
  if (data.action === 'UNKNOWN') return [];
  const attached = data.action === 'ADD';
  switch (data.targetType) {
    case 'CHAT':
      return [
        statement(
          `INSERT INTO label_chats (account_id, label_id, chat_jid, attached, changed_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (account_id, label_id, chat_jid)
           DO UPDATE SET attached = excluded.attached, changed_at = excluded.changed_at WHERE label_chats.changed_at <= excluded.changed_at`,
          [accountId, data.labelId, data.chatJid, attached, occurredAt],
        ),
      ];
    case 'MESSAGE':
      if (data.messageId === null) return [];
      return [
        statement(
          `INSERT INTO label_messages (account_id, label_id, chat_jid, message_id, attached, changed_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (account_id, label_id, chat_jid, message_id)
           DO UPDATE SET attached = excluded.attached, changed_at = excluded.changed_at WHERE label_messages.changed_at <= excluded.changed_at`,
          [accountId, data.labelId, data.chatJid, data.messageId, attached, occurredAt],
        ),
      ];
    case 'UNKNOWN':
      return [];
    default: {
      const unreachable: never = data.targetType;
      return unreachable;
    }
  }
}

/** labels: the account's labels and the chats and messages they are attached to. */
export function evolveLabels(event: ProjectedEvent): Statement[] {
  if (event.topic !== 'account') return [];
  const { accountId, occurredAt } = event;
  switch (event.type) {
    case 'label.upserted':
    case 'label.deleted': {
      const label = event.data;
      const deleted = event.type === 'label.deleted' || label.deleted;
      return [
        statement(
          `INSERT INTO labels (account_id, label_id, name, color, predefined_id, deleted, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (account_id, label_id) DO UPDATE SET
             name = excluded.name, color = excluded.color, predefined_id = COALESCE(excluded.predefined_id, labels.predefined_id),
             deleted = excluded.deleted, changed_at = excluded.changed_at
           WHERE labels.changed_at <= excluded.changed_at`,
          [accountId, label.labelId, label.name, label.color, label.predefinedId, deleted, occurredAt],
        ),
      ];
    }
    case 'label.association':
      return association(event);
    case 'account.deleted':
      return ['label_messages', 'label_chats', 'labels'].map((table) => statement(`DELETE FROM ${table} WHERE account_id = $1`, [accountId]));
    default:
      return [];
  }
}
