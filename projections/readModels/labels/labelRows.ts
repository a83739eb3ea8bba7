import type { LabelRow } from '../ReadModels.js';

/** A `labels` row with the chats it is attached to. */
export function toLabelRow(row: Record<string, unknown>): LabelRow {
  return {
    accountId: row.account_id as string,
    labelId: row.label_id as string,
    name: row.name as string,
    color: row.color as number | null,
    chats: (row.chats as string[] | null) ?? [],
  };
}
