import { rejection } from './commandError.js';
import { COMMAND_TYPES, isCommandType, payloadBranch } from '../../shared/commands/index.js';
import type { AccountView, CommandErrorValue, CommandValue } from '../../shared/commands/index.js';
import { validatePayload } from './validatePayload.js';

/** What to do with a command: run it, answer EXPIRED, or answer REJECTED with this error. */
export type Decision = { kind: 'execute' } | { kind: 'expire' } | { kind: 'reject'; error: CommandErrorValue };

const EXECUTE: Decision = { kind: 'execute' };

/**
 * Decides a command against the account's current state, before any side effect. In order:
 * past its deadline → expire; unknown type or payload branch not matching the type → reject;
 * invalid payload values → reject (retrying cannot help, so this comes before the state checks);
 * then the account invariants: `account.create` needs a new account id, everything else an
 * existing account, and socket commands a linked (not logged-out), connected session.
 */
export function decide(command: CommandValue, account: AccountView, now: number): Decision {
  if (now > command.deadline) return { kind: 'expire' };
  if (!isCommandType(command.type)) {
    return reject(rejection('UNSUPPORTED', `unknown command type ${JSON.stringify(command.type.slice(0, 64))}`, { field: 'type' }));
  }
  const spec = COMMAND_TYPES[command.type];
  const branch = payloadBranch(command);
  if (branch !== spec.payload) {
    return reject(rejection('INVALID_PAYLOAD', `${command.type} takes a ${spec.payload} payload, not ${branch}`, { field: 'payload' }));
  }
  const problem = validatePayload(command, command.type);
  if (problem !== null) return reject(rejection('VALIDATION_FAILED', `${problem.field}: ${problem.message}`, { field: problem.field }));

  if (command.type === 'account.create') {
    return account.exists ? reject(rejection('ACCOUNT_EXISTS', `account ${command.accountId} already exists`)) : EXECUTE;
  }
  if (!account.exists) return reject(rejection('ACCOUNT_NOT_FOUND', `account ${command.accountId} does not exist`));
  // Connect re-links a logged-out account; update, delete, disconnect and logout work in any state.
  if (spec.kind === 'lifecycle') return EXECUTE;
  if (account.loggedOut || account.state === 'LOGGED_OUT') {
    return reject(rejection('LOGGED_OUT', `account ${command.accountId} is logged out: connect it again to link a device`));
  }
  if (account.state !== 'CONNECTED') {
    return reject(
      rejection('NOT_CONNECTED', `account ${command.accountId} is not connected (${account.state})`, { retriable: true }),
    );
  }
  return EXECUTE;
}

function reject(error: CommandErrorValue): Decision {
  return { kind: 'reject', error };
}
