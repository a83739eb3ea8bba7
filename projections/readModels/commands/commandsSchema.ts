/** Command outcomes from wa.command-results.v1 (the first result of a command wins). */
export const COMMANDS_SCHEMA = `
CREATE TABLE command_results (
  command_id text PRIMARY KEY,
  account_id text NOT NULL,
  type text NOT NULL,
  status text NOT NULL,
  completed_at bigint NOT NULL,
  error jsonb,
  result jsonb,
  event_ids text[] NOT NULL DEFAULT '{}',
  duration_ms bigint,
  correlation_id text NOT NULL
);
CREATE INDEX command_results_of_account ON command_results (account_id, completed_at DESC);
`;

export const COMMANDS_TABLES = ['command_results'] as const;
