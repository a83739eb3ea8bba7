import { eventId, type DraftEvent } from '../events/index.js';
import type { AccountMeta } from './AccountMeta.js';

/** The account lifecycle events the connector decides itself (natural key: the command id). */
export function accountCreatedEvent(meta: AccountMeta, commandId: string, requestedBy: string, now: number): DraftEvent {
  return {
    topic: 'account',
    eventId: eventId('account.created', meta.accountId, [commandId]),
    type: 'account.created',
    chatJid: null,
    occurredAt: now,
    source: 'COMMAND',
    causationId: commandId,
    data: {
      'wa.account.AccountCreated': {
        name: meta.name,
        department: meta.department,
        autoConnect: meta.autoConnect,
        collectionName: meta.collectionName,
        createdBy: requestedBy,
      },
    },
  };
}

/** `account.updated`: the settings after the change (null = unchanged). */
export function accountUpdatedEvent(accountId: string, commandId: string, changes: Record<string, unknown>, now: number): DraftEvent {
  return {
    topic: 'account',
    eventId: eventId('account.updated', accountId, [commandId]),
    type: 'account.updated',
    chatJid: null,
    occurredAt: now,
    source: 'COMMAND',
    causationId: commandId,
    data: { 'wa.account.AccountUpdated': changes },
  };
}

/** `account.deleted`: read models drop the account's data. */
export function accountDeletedEvent(accountId: string, commandId: string, deletedBy: string, purgeData: boolean, now: number): DraftEvent {
  return {
    topic: 'account',
    eventId: eventId('account.deleted', accountId, [commandId]),
    type: 'account.deleted',
    chatJid: null,
    occurredAt: now,
    source: 'COMMAND',
    causationId: commandId,
    data: { 'wa.account.AccountDeleted': { deletedBy, purgeData } },
  };
}
