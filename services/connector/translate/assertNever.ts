import { WaError } from '../../shared/index.js';

/** Exhaustiveness guard for switches over closed unions: unreachable when the switch covers every case. */
export function assertNever(value: never): never {
  throw new WaError('INTERNAL', `unhandled case: ${String(value)}`);
}
