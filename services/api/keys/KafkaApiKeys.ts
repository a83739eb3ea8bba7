import type { Kafka } from 'kafkajs';
import { CodecError } from '../../../schemas/index.js';
import { WaError, type Logger } from '../../shared/index.js';
import { JSON_CONTENT_TYPE, KafkaProducer, recordHeaders, type ConsumedRecord, type DeadLetterWriter, type TopicSpec } from '../../shared/kafka/index.js';
import type { ApiKeys, ApiKeyView } from '../ApiServices.js';
import { ACCOUNT_ID } from '../http/index.js';
import { ApiKeyRecordSchema, ApiKeyTable, type ApiKeyRecord, type KeyOwner } from './ApiKeyTable.js';
import { adminKeyBanner, generateApiKey, generateKeyId, hashKey } from './keyMaterial.js';
import { TopicFollower } from './TopicFollower.js';

/** Admin entries are partitioned by this; account ids cannot start with `_`. */
const ADMIN_PARTITION_KEY = '_admin';
const LABEL_MAX = 200;

export interface KafkaApiKeysOptions {
  kafka: Kafka;
  /** wa.api-keys.v1 (compacted, JSON values). */
  topic: TopicSpec;
  logger: Logger;
  /** API_KEY: when set, the admin key; nothing is generated. */
  adminKey?: string | undefined;
  /** Where a generated admin key is shown once; stdout by default, never the logger. */
  announce?: (banner: string) => void;
  now?: () => number;
  /** ce_source of the records written. */
  source?: string;
  catchUpTimeoutMs?: number;
  /** Where key records that cannot be read go (the key they stood for is not accepted). */
  deadLetters?: DeadLetterWriter;
  /** The key table stopped following the topic for good (a revoked key would go on working); the API role fails. */
  onFatal?: (error: WaError) => void;
}

/**
 * API keys on a compacted Kafka topic: every instance reads the whole table before serving
 * and keeps following it, so a key created or revoked on one instance holds on all. Keys are
 * stored only as SHA-256 hashes. Without API_KEY, the first start generates the admin key,
 * shows it once on stdout and stores its hash; later starts find it and show nothing.
 */
export class KafkaApiKeys implements ApiKeys {
  private constructor(
    private readonly options: KafkaApiKeysOptions,
    private readonly table: ApiKeyTable,
    private readonly producer: KafkaProducer,
    private readonly follower: TopicFollower,
    private readonly configuredAdmin: Buffer | null,
  ) {}

  /** Reads the key table to its end, makes sure an admin key exists, and keeps following. */
  static async start(options: KafkaApiKeysOptions): Promise<KafkaApiKeys> {
    const table = new ApiKeyTable();
    const producer = await KafkaProducer.connect(options.kafka, options.logger);
    let follower: TopicFollower;
    try {
      follower = await TopicFollower.start({
        kafka: options.kafka,
        topic: options.topic.name,
        logger: options.logger,
        onRecord: (record) => applyRecord(table, record, options.logger, options.deadLetters),
        ...(options.catchUpTimeoutMs === undefined ? {} : { catchUpTimeoutMs: options.catchUpTimeoutMs }),
        ...(options.onFatal === undefined ? {} : { onFatal: options.onFatal }),
      });
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    const configured = options.adminKey ? hashKey(options.adminKey) : null;
    const keys = new KafkaApiKeys(options, table, producer, follower, configured);
    try {
      if (configured === null) await keys.ensureAdminKey();
    } catch (error) {
      await keys.stop();
      throw error;
    }
    return keys;
  }

  /** Whose key this is (hashes compared in constant time), or null. */
  async authenticate(presented: string): Promise<KeyOwner | null> {
    return this.table.owner(presented, this.configuredAdmin);
  }

  /** A new key for one account, written to the topic; the key is returned here only. */
  async create(accountId: string, label: string | null): Promise<{ key: string; view: ApiKeyView }> {
    if (!ACCOUNT_ID.test(accountId)) throw new WaError('INVALID_ARGUMENT', `accountId ${JSON.stringify(accountId)} is not a valid account id`, { field: 'accountId' });
    if (label !== null && label.length > LABEL_MAX) throw new WaError('INVALID_ARGUMENT', `label must be at most ${LABEL_MAX} characters long`, { field: 'label' });
    const key = generateApiKey();
    const record: ApiKeyRecord = {
      v: 1,
      keyId: generateKeyId('key'),
      kind: 'account',
      accountId,
      label,
      sha256: hashKey(key).toString('hex'),
      createdAt: this.now(),
    };
    await this.write(accountId, record.keyId, record, 'api-key.created');
    this.options.logger.info({ keyId: record.keyId, accountId }, 'api key created');
    return { key, view: viewOf(record) };
  }

  /** Account keys (never the keys themselves), oldest first. */
  async list(accountId?: string): Promise<ApiKeyView[]> {
    return this.table.accountKeys(accountId).map(viewOf);
  }

  /** Tombstones an account key on every instance; false when unknown (or the admin key). */
  async revoke(keyId: string): Promise<boolean> {
    const record = this.table.get(keyId);
    // The admin key is not revoked through the API: that would lock every admin out.
    if (record?.kind !== 'account' || record.accountId === null) return false;
    await this.write(record.accountId, keyId, null, 'api-key.revoked');
    this.options.logger.info({ keyId, accountId: record.accountId }, 'api key revoked');
    return true;
  }

  /** Stops following the topic and closes the producer. */
  async stop(): Promise<void> {
    await this.follower.stop();
    await this.producer.disconnect().catch(() => undefined);
  }

  /**
   * The first start without API_KEY generates the admin key. Instances starting together may
   * each write one: the first in the log wins everywhere, only its writer shows it, and the
   * others take theirs back.
   */
  private async ensureAdminKey(): Promise<void> {
    if (this.table.admin()) return;
    const key = generateApiKey();
    const record: ApiKeyRecord = {
      v: 1,
      keyId: generateKeyId('admin'),
      kind: 'admin',
      accountId: null,
      label: 'admin',
      sha256: hashKey(key).toString('hex'),
      createdAt: this.now(),
    };
    await this.write(ADMIN_PARTITION_KEY, record.keyId, record, 'api-key.admin-generated');
    if (this.table.admin()?.keyId === record.keyId) {
      (this.options.announce ?? ((text: string) => void process.stdout.write(text)))(adminKeyBanner(key));
      this.options.logger.info({ keyId: record.keyId }, 'admin api key generated and shown on stdout');
      return;
    }
    await this.write(ADMIN_PARTITION_KEY, record.keyId, null, 'api-key.revoked');
    this.options.logger.info('another instance generated the admin api key first');
  }

  /** Writes one entry and waits until this instance's table has applied it (read your writes). */
  private async write(partitionKey: string, keyId: string, record: ApiKeyRecord | null, type: string): Promise<void> {
    const now = this.now();
    const [meta] = await this.producer.send(this.options.topic, [
      {
        accountId: partitionKey,
        key: keyId,
        value: record === null ? null : Buffer.from(JSON.stringify(record)),
        headers: recordHeaders({ id: keyId, type, source: this.options.source ?? 'wa-backbone/api', time: now, contentType: JSON_CONTENT_TYPE }),
        timestamp: now,
      },
    ]);
    const offset = meta?.baseOffset ?? meta?.offset;
    if (meta === undefined || offset === undefined) throw new WaError('KAFKA', `no offset for the api key record ${keyId}`);
    await this.follower.reached(meta.partition, BigInt(offset));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function applyRecord(table: ApiKeyTable, record: ConsumedRecord, logger: Logger, deadLetters: DeadLetterWriter | undefined): void {
  if (record.key === null) return;
  if (record.value === null) return table.apply(record.key, null);
  let value: unknown;
  try {
    value = JSON.parse(record.value.toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = ApiKeyRecordSchema.safeParse(value);
  if (!parsed.success || parsed.data.keyId !== record.key) {
    logger.warn({ topic: record.topic, partition: record.partition, offset: record.offset }, 'an unreadable api key record moved to the dead letters');
    // Messages of our own: the parser's would quote the value, and this table holds key hashes.
    const error = value === undefined ? new CodecError('CORRUPT_RECORD', 'api key record is not JSON') : new WaError('INVALID_ARGUMENT', 'api key record does not have the api key shape or its key');
    deadLetters?.report(record, error);
    return;
  }
  table.apply(record.key, parsed.data);
}

function viewOf(record: ApiKeyRecord): ApiKeyView {
  return { keyId: record.keyId, accountId: record.accountId ?? '', label: record.label, createdAt: record.createdAt };
}
