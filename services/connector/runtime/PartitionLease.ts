import type { AvroCodec } from '../../../schemas/index.js';
import { partitionForAccount, type OutgoingRecord } from '../../shared/kafka/index.js';
import type { SecretBox } from '../../shared/secrets/index.js';
import { AccountSessionState, type SessionStateRecord } from '../sessionState/index.js';

/** Who runs a partition's sessions: `held` while its sessions may be open, `released` once they are all closed. */
export interface LeaseValue {
  /** The consumer-group member id of the connector. */
  holder: string;
  state: 'held' | 'released';
  at: number;
}

const LEASE_PREFIX = '_lease.';
const KIND = 'backbone';
const ENTRY = 'lease';

/**
 * The pseudo account whose session-state entries land in `partition`: the lease lives beside
 * the accounts it guards, on the same partition, and keeps the topic's partition rule.
 * Account ids never start with `_`, so it cannot clash with one.
 */
export function leaseAccountId(partition: number, partitions: number): string {
  for (let k = 0; ; k += 1) {
    const candidate = `${LEASE_PREFIX}${k}`;
    if (partitionForAccount(candidate, partitions) === partition) return candidate;
  }
}

/** True when a session-state key belongs to a partition lease, not an account. */
export function isLeaseKey(key: string): boolean {
  return key.startsWith(LEASE_PREFIX);
}

export interface PartitionLeaseOptions {
  partition: number;
  partitions: number;
  box: SecretBox;
  codec: AvroCodec;
  epoch: () => number;
  now: () => number;
}

/**
 * The handover marker of one partition on wa.session-state.v1: the owner marks it held before
 * opening sessions and released after closing them, so a new owner can wait until the old one
 * has closed every socket: the same WhatsApp session is never open in two connectors.
 */
export class PartitionLease {
  private readonly state: AccountSessionState;
  readonly key: string;
  private readonly now: () => number;

  constructor(options: PartitionLeaseOptions) {
    this.now = options.now;
    const accountId = leaseAccountId(options.partition, options.partitions);
    this.state = new AccountSessionState({
      accountId,
      box: options.box,
      codec: options.codec,
      partitions: options.partitions,
      // Lease records are written by the owner itself (see `record`), never through the key store.
      persist: () => Promise.resolve(),
      epoch: options.epoch,
      now: options.now,
    });
    this.key = `${accountId}/${KIND}/${ENTRY}`;
  }

  /** Applies a record read back from the topic (records of other keys are ignored). */
  restore(record: SessionStateRecord): void {
    if (record.key === this.key) this.state.restore(record);
  }

  /** The latest lease, or null when the partition never had one. */
  current(): LeaseValue | null {
    return this.state.getEntry<LeaseValue>(KIND, ENTRY) ?? null;
  }

  /** The sealed record marking the lease held or released by `holder`. */
  record(holder: string, state: LeaseValue['state']): OutgoingRecord {
    return this.state.putEntry(KIND, ENTRY, { holder, state, at: this.now() } satisfies LeaseValue);
  }
}
