import { eventId, type DraftEvent } from '../events/index.js';
import type { AccountMeta } from './AccountMeta.js';

/** An account lifecycle event the connector decides itself; its natural key is the command id. */
function lifecycle(type: string, schema: string, accountId: string, commandId: string, data: Record<string, unknown>, now: number): DraftEvent {
  return {
    topic: 'account',
    eventId: eventId(type, accountId, [commandId]),
    type,
    chatJid: null,
    occurredAt: now,
    source: 'COMMAND',
    causationId: commandId,
    data: { [schema]: data },
  };
}

/** `account.created`: the account's settings. */
export function accountCreatedEvent(meta: AccountMeta, commandId: string, requestedBy: string, now: number): DraftEvent {
  const { name, department, autoConnect, collectionName } = meta;
  return lifecycle('account.created', 'wa.account.AccountCreated', meta.accountId, commandId, { name, department, autoConnect, collectionName, createdBy: requestedBy }, now);
}

/** `account.updated`: the settings after the change (null = unchanged). */
export function accountUpdatedEvent(accountId: string, commandId: string, changes: Record<string, unknown>, now: number): DraftEvent {
  return lifecycle('account.updated', 'wa.account.AccountUpdated', accountId, commandId, changes, now);
}

/** `account.deleted`: read models drop the account's data. */
export function accountDeletedEvent(accountId: string, commandId: string, deletedBy: string, purgeData: boolean, now: number): DraftEvent {
  return lifecycle('account.deleted', 'wa.account.AccountDeleted', accountId, commandId, { deletedBy, purgeData }, now);
}
