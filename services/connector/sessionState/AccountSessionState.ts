import { randomUUID } from 'node:crypto';
import {
  BufferJSON,
  initAuthCreds,
  jidNormalizedUser,
  proto,
  type AuthenticationCreds,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { AvroCodec } from '../../../schemas/index.js';
import { WaError } from '../../shared/index.js';
import { recordHeaders, type OutgoingRecord } from '../../shared/kafka/index.js';
import type { EncryptedValue, SecretBox } from '../../shared/secrets/index.js';
import type { SessionAuth } from '../drivers/Driver.js';
import { CONNECTOR_SOURCE } from '../runtime/ConnectorTopics.js';
import {
  CREDS_ENTRY_ID,
  CREDS_KIND,
  parseSessionStateKey,
  sessionEntryKind,
  sessionStateKey,
  type SessionEntryKind,
} from './sessionStateKey.js';

/** Full name of the value schema of `wa.session-state.v1`. */
export const SESSION_STATE_SCHEMA = 'wa.session.SessionStateEntry';
/** Header carrying the writer's ownership epoch, so tombstones (which have no value) are fenced too. */
export const WRITER_EPOCH_HEADER = 'wa-writer-epoch';

/** True when the credentials completed a link (pair-success), so a reconnect logs in without a new QR. */
export function credsLinked(creds: AuthenticationCreds): boolean {
  // `me` alone is not enough: Baileys sets it as soon as a pairing code is requested; `account` comes with pair-success.
  return Boolean(creds.me?.id && creds.account);
}

/** A `wa.session.SessionStateEntry` value as the codec reads and writes it. */
export interface SessionStateEntryValue extends EncryptedValue {
  accountId: string;
  kind: SessionEntryKind;
  rawKind: string;
  entryId: string;
  updatedAt: number;
  writerEpoch: number | null;
}

/** A record read back from `wa.session-state.v1`. */
export interface SessionStateRecord {
  key: string;
  value: Buffer | null;
  /** Record headers; only `wa-writer-epoch` is read (to fence tombstones). */
  headers?: Readonly<Record<string, string>>;
}

export interface AccountSessionStateOptions {
  accountId: string;
  box: SecretBox;
  codec: AvroCodec;
  /** Partition count of the topic (KAFKA_PARTITIONS); kept for the runtime, partitions come from accountId. */
  partitions: number;
  /** Writes records to `wa.session-state.v1` in order; resolves once they are durable. */
  persist: (records: OutgoingRecord[]) => Promise<void>;
  /** The writing connector's ownership epoch (e.g. the consumer-group generation). */
  epoch: () => number;
  now: () => number;
}

interface PendingWrite {
  records: OutgoingRecord[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * One account's Baileys credentials and signal keys, as entries of the compacted topic
 * `wa.session-state.v1`. Memory holds exactly what restoring the topic would give: each entry
 * as its BufferJSON text, parsed afresh on every read. Writes are sealed with AES-256-GCM
 * (AAD = record key) and persisted in call order; writes issued while one is in flight go
 * out together in the next one.
 */
export class AccountSessionState {
  readonly accountId: string;
  readonly partitions: number;
  private readonly entries = new Map<string, Map<string, string>>();
  private creds: AuthenticationCreds | undefined;
  /** Bumped by clear(): auth states handed out before are stale and their writes dropped. */
  private generation = 0;
  private highestEpoch: number | null = null;
  private queue: PendingWrite[] = [];
  private flushing = false;

  constructor(private readonly options: AccountSessionStateOptions) {
    sessionStateKey(options.accountId, CREDS_KIND, CREDS_ENTRY_ID);
    this.accountId = options.accountId;
    this.partitions = options.partitions;
  }

  /**
   * Applies one record read back from the topic, in offset order: later records win,
   * tombstones delete. Returns false when the record was written under an ownership epoch
   * older than one already seen (a fenced-off writer) and was ignored.
   */
  restore(record: SessionStateRecord): boolean {
    const { accountId, rawKind, entryId } = parseSessionStateKey(record.key);
    if (accountId !== this.accountId) {
      throw new WaError('INVALID_ARGUMENT', `session-state record of account ${accountId} given to account ${this.accountId}`);
    }
    if (record.value === null) {
      if (!this.admitEpoch(headerEpoch(record.headers))) return false;
      this.forget(rawKind, entryId);
      return true;
    }
    const entry = this.options.codec.decode<SessionStateEntryValue>(record.value, SESSION_STATE_SCHEMA).value;
    if (entry.accountId !== accountId || entry.rawKind !== rawKind || entry.entryId !== entryId) {
      throw new WaError('CODEC', `session-state record ${record.key} holds an entry of another key`);
    }
    if (!this.admitEpoch(entry.writerEpoch)) return false;
    const json = this.options.box.open(entry, record.key).toString('utf8');
    this.remember(rawKind, entryId, json);
    return true;
  }

  /**
   * Baileys' auth state backed by these entries: `keys.set` and `saveCreds` resolve once the
   * entries are persisted. Call it after restoring; every reconnect of the session may reuse it.
   */
  auth(): SessionAuth {
    this.creds ??= initAuthCreds();
    const creds = this.creds;
    const generation = this.generation;
    const stale = (): boolean => generation !== this.generation;
    const keys: SignalKeyStore = {
      get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
        const found: { [id: string]: SignalDataTypeMap[T] } = {};
        if (stale()) return found;
        for (const id of ids) {
          const value = this.read(type, id);
          if (value !== undefined) found[id] = value as SignalDataTypeMap[T];
        }
        return found;
      },
      set: async (data: SignalDataSet) => {
        if (stale()) return;
        const records: OutgoingRecord[] = [];
        for (const [type, values] of Object.entries(data)) {
          for (const [id, value] of Object.entries(values ?? {})) {
            records.push(value === null || value === undefined ? this.deleteEntry(type, id) : this.putEntry(type, id, value));
          }
        }
        await this.write(records);
      },
      clear: () => this.clear(),
    };
    return {
      state: { creds, keys },
      saveCreds: async () => {
        // A socket outliving clear() (logout) must not bring the old credentials back.
        if (stale() || this.creds !== creds) return;
        const json = JSON.stringify(creds, BufferJSON.replacer);
        // Stored as text only: the live object Baileys mutates stays the one in `state.creds`.
        this.store(CREDS_KIND, CREDS_ENTRY_ID, json);
        await this.write([this.seal(CREDS_KIND, CREDS_ENTRY_ID, json)]);
      },
    };
  }

  /** True when the credentials were linked to a phone before (QR scanned or code entered): reconnecting needs no new link. */
  isRegistered(): boolean {
    return this.creds !== undefined && credsLinked(this.creds);
  }

  /** This account's own user JID (device suffix removed), once linked. */
  meJid(): string | null {
    const id = this.creds?.me?.id;
    return id ? jidNormalizedUser(id) : null;
  }

  /** Writes a tombstone for every entry (account deleted / logged out) and forgets them all. */
  async clear(): Promise<void> {
    const records: OutgoingRecord[] = [];
    for (const [rawKind, ids] of this.entries) {
      for (const entryId of ids.keys()) records.push(this.tombstone(rawKind, entryId));
    }
    this.entries.clear();
    this.creds = undefined;
    this.generation += 1;
    await this.write(records);
  }

  /** Stores one entry (e.g. the connector's own `backbone`/`account`) in memory and returns its sealed record for the caller to write. */
  putEntry(rawKind: string, entryId: string, value: unknown): OutgoingRecord {
    const json = JSON.stringify(value, BufferJSON.replacer);
    if (json === undefined) {
      throw new WaError('INVALID_ARGUMENT', `session-state entry ${rawKind}/${entryId} has no JSON value`, { field: 'value' });
    }
    this.remember(rawKind, entryId, json);
    return this.seal(rawKind, entryId, json);
  }

  /** Forgets one entry and returns its tombstone for the caller to write. */
  deleteEntry(rawKind: string, entryId: string): OutgoingRecord {
    this.forget(rawKind, entryId);
    return this.tombstone(rawKind, entryId);
  }

  /** One entry as stored (a fresh copy, Buffers revived), or undefined. */
  getEntry<T>(rawKind: string, entryId: string): T | undefined {
    const json = this.entries.get(rawKind)?.get(entryId);
    return json === undefined ? undefined : (JSON.parse(json, BufferJSON.reviver) as T);
  }

  /** The ids of every entry of one kind. */
  entryIds(rawKind: string): string[] {
    return [...(this.entries.get(rawKind)?.keys() ?? [])];
  }

  /** How many entries are held, credentials included. */
  size(): number {
    let count = 0;
    for (const ids of this.entries.values()) count += ids.size;
    return count;
  }

  private read(rawKind: string, entryId: string): unknown {
    const value = this.getEntry<unknown>(rawKind, entryId);
    // Baileys reads these as protobuf messages (as its own file store does).
    if (rawKind === 'app-state-sync-key' && value !== undefined) {
      return proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>);
    }
    return value;
  }

  private remember(rawKind: string, entryId: string, json: string): void {
    this.store(rawKind, entryId, json);
    if (rawKind === CREDS_KIND && entryId === CREDS_ENTRY_ID) this.creds = JSON.parse(json, BufferJSON.reviver) as AuthenticationCreds;
  }

  private store(rawKind: string, entryId: string, json: string): void {
    let ids = this.entries.get(rawKind);
    if (!ids) this.entries.set(rawKind, (ids = new Map()));
    ids.set(entryId, json);
  }

  private forget(rawKind: string, entryId: string): void {
    this.entries.get(rawKind)?.delete(entryId);
    if (rawKind === CREDS_KIND && entryId === CREDS_ENTRY_ID) this.creds = undefined;
  }

  private admitEpoch(epoch: number | null): boolean {
    if (epoch === null) return true;
    if (this.highestEpoch !== null && epoch < this.highestEpoch) return false;
    this.highestEpoch = epoch;
    return true;
  }

  private seal(rawKind: string, entryId: string, json: string): OutgoingRecord {
    const key = sessionStateKey(this.accountId, rawKind, entryId);
    const updatedAt = this.options.now();
    const writerEpoch = this.options.epoch();
    const value: SessionStateEntryValue = {
      accountId: this.accountId,
      kind: sessionEntryKind(rawKind),
      rawKind,
      entryId,
      ...this.options.box.seal(Buffer.from(json, 'utf8'), key),
      updatedAt,
      writerEpoch,
    };
    return {
      accountId: this.accountId,
      key,
      value: this.options.codec.encode(SESSION_STATE_SCHEMA, value),
      headers: this.headers('session.entry', updatedAt, writerEpoch),
      timestamp: updatedAt,
    };
  }

  private tombstone(rawKind: string, entryId: string): OutgoingRecord {
    const now = this.options.now();
    return {
      accountId: this.accountId,
      key: sessionStateKey(this.accountId, rawKind, entryId),
      value: null,
      headers: this.headers('session.entry.deleted', now, this.options.epoch()),
      timestamp: now,
    };
  }

  private headers(type: string, time: number, epoch: number): Record<string, string> {
    return { ...recordHeaders({ id: randomUUID(), type, source: CONNECTOR_SOURCE, time }), [WRITER_EPOCH_HEADER]: String(epoch) };
  }

  /** Persists records after every earlier write; resolves once they are durable. */
  private write(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.options.persist(batch.flatMap((pending) => pending.records));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = false;
  }
}

function headerEpoch(headers: Readonly<Record<string, string>> | undefined): number | null {
  const raw = headers?.[WRITER_EPOCH_HEADER];
  if (raw === undefined || !/^-?\d+$/.test(raw)) return null;
  return Number(raw);
}
