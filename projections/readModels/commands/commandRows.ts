import type { CommandRow } from '../ReadModels.js';

/** A `command_results` row. */
export function toCommandRow(row: Record<string, unknown>): CommandRow {
  const error = row.error as { code: string; message: string; retriable: boolean; field: string | null } | null;
  return {
    commandId: row.command_id as string,
    accountId: row.account_id as string,
    type: row.type as string,
    status: row.status as CommandRow['status'],
    completedAt: row.completed_at as number,
    error: error === null ? null : { code: error.code, message: error.message, retriable: error.retriable, field: error.field ?? null },
    result: (row.result as Record<string, unknown> | null) ?? null,
  };
}
