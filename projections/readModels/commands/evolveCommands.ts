import type { ProjectedEvent } from '../../events/index.js';
import { settlesCommandSql } from '../../../services/shared/commands/index.js';
import { jsonParam, statement, type Statement } from '../shared/index.js';

/**
 * commands: each command's outcome; a replayed result (same commandId) changes nothing. A result
 * that did not settle the command (expired, refused for now: settlesCommand) gives way to the
 * result of a retry with the same Idempotency-Key.
 */
export function evolveCommands(event: ProjectedEvent): Statement[] {
  if (event.topic !== 'commandResults') return [];
  const r = event.data;
  // Results are kept after account.deleted: the deletion command's own outcome must stay readable.
  return [
    statement(
      `INSERT INTO command_results (command_id, account_id, type, status, completed_at, error, result, event_ids, duration_ms, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::text[], $9, $10)
       ON CONFLICT (command_id) DO UPDATE SET
         status = EXCLUDED.status, completed_at = EXCLUDED.completed_at, error = EXCLUDED.error, result = EXCLUDED.result,
         event_ids = EXCLUDED.event_ids, duration_ms = EXCLUDED.duration_ms, correlation_id = EXCLUDED.correlation_id
       WHERE NOT (${settlesCommandSql('command_results')})`,
      [r.commandId, r.accountId, r.type, r.status, r.completedAt, jsonParam(r.error), jsonParam(r.result), r.eventIds, r.durationMs, r.correlationId],
    ),
  ];
}
