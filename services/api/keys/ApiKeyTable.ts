import { z } from 'zod';
import { hashKey, sameHash } from './keyMaterial.js';

/** One entry of wa.api-keys.v1 (JSON value, record key = keyId). */
export const ApiKeyRecordSchema = z.object({
  v: z.literal(1),
  keyId: z.string().min(1),
  kind: z.enum(['admin', 'account']),
  accountId: z.string().min(1).nullable(),
  label: z.string().nullable(),
  /** Hex SHA-256 of the key; the key itself is never stored. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.number().int(),
});

export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;

/** Who a key belongs to. */
export type KeyOwner = { kind: 'admin' } | { kind: 'account'; keyId: string; accountId: string };

/**
 * The key table an instance rebuilds from the compacted topic. Applying the same record twice
 * changes nothing. The generated admin key is the *first* admin entry in log order: instances
 * that raced at first start agree on it, and compaction keeps it (each admin entry has its own
 * record key).
 */
export class ApiKeyTable {
  private readonly entries = new Map<string, ApiKeyRecord>();
  private readonly byHash = new Map<string, string>();

  /** Applies one record; null (a tombstone) removes the key. */
  apply(keyId: string, record: ApiKeyRecord | null): void {
    const previous = this.entries.get(keyId);
    if (previous) this.byHash.delete(previous.sha256);
    if (record === null) {
      this.entries.delete(keyId);
      return;
    }
    this.entries.set(keyId, record);
    this.byHash.set(record.sha256, keyId);
  }

  /** The generated admin key's entry, if any. */
  admin(): ApiKeyRecord | null {
    for (const record of this.entries.values()) if (record.kind === 'admin') return record;
    return null;
  }

  /** One entry by key id. */
  get(keyId: string): ApiKeyRecord | null {
    return this.entries.get(keyId) ?? null;
  }

  /** Account keys, optionally of one account, oldest first. */
  accountKeys(accountId?: string): ApiKeyRecord[] {
    return [...this.entries.values()].filter((r) => r.kind === 'account' && (accountId === undefined || r.accountId === accountId));
  }

  /**
   * Whose key this is. `configuredAdmin` (the hash of API_KEY) replaces the generated admin key.
   * Digests are compared in constant time; the lookup by digest reveals nothing about the key.
   */
  owner(presented: string, configuredAdmin: Buffer | null): KeyOwner | null {
    const digest = hashKey(presented);
    const admin = configuredAdmin ?? this.adminDigest();
    if (admin && sameHash(digest, admin)) return { kind: 'admin' };
    const keyId = this.byHash.get(digest.toString('hex'));
    const record = keyId === undefined ? undefined : this.entries.get(keyId);
    if (record?.kind !== 'account' || record.accountId === null) return null;
    return sameHash(digest, Buffer.from(record.sha256, 'hex')) ? { kind: 'account', keyId: record.keyId, accountId: record.accountId } : null;
  }

  private adminDigest(): Buffer | null {
    const admin = this.admin();
    return admin ? Buffer.from(admin.sha256, 'hex') : null;
  }
}
