import assert from 'node:assert/strict';
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { getMediaKeys, type MediaType } from '@whiskeysockets/baileys';
import type { Fetch } from '../../services/connector/drivers/simulator/index.js';
import { eventId } from '../../services/connector/events/index.js';
import type { ConsumedRecord } from '../../services/shared/kafka/index.js';
import type { EncryptedValue } from '../../services/shared/secrets/index.js';
import { ConnectorHarness, waitFor, type Value } from '../helpers/index.js';

const PARTITIONS = 4;
const HISTORY_MESSAGES = 5_000;
/** The simulator's history chunk size (services/simulator/history.ts DEFAULT_HISTORY_CHUNK). */
const HISTORY_CHUNK = 1_000;
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/;

/** One consumed event record and its decoded value. */
interface Seen {
  record: ConsumedRecord;
  event: Value;
}

/**
 * The harness's event records, decoded once each: thousands of history events are polled many
 * times over, and decoding them all on every poll would dominate the test.
 */
class EventLog {
  private readonly seen: Seen[] = [];

  constructor(private readonly h: ConnectorHarness) {}

  all(): readonly Seen[] {
    const records = this.h.events.records;
    for (let i = this.seen.length; i < records.length; i += 1) {
      const record = records[i]!;
      assert.ok(record.value, `event record ${record.topic}/${record.partition}@${record.offset} has no value`);
      this.seen.push({ record, event: this.h.codec.decode<Value>(record.value).value });
    }
    return this.seen;
  }

  of(accountId: string, type: string): Seen[] {
    return this.all().filter((s) => s.event.accountId === accountId && s.event.type === type);
  }

  /** Waits for `count` events of a type matching the predicate, and returns them all. */
  async waitFor(accountId: string, type: string, predicate: (e: Value) => boolean, count: number, description: string, timeoutMs = 30_000): Promise<Seen[]> {
    return waitFor(
      () => {
        const found = this.of(accountId, type).filter((s) => predicate(s.event));
        return found.length >= count ? found : null;
      },
      description,
      { timeoutMs },
    );
  }
}

/**
 * The network between the connector's driver and the simulator, able to lose the ack of a
 * chosen inbound message once: either the connection drops before the ack arrives (`reset`),
 * or the ack is lost on the way and the driver never learns it (`lost`). Also counts how often
 * each inbound message was handed to the connector.
 */
class FlakyNetwork {
  readonly offered = new Map<string, number>();
  private readonly messageOfDelivery = new Map<string, string>();
  private readonly planned = new Map<string, 'reset' | 'lost'>();

  loseAckOf(messageId: string, how: 'reset' | 'lost'): void {
    this.planned.set(messageId, how);
  }

  readonly fetch: Fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    // Acks go with the next poll (`POST .../deliveries`), or on their own (`POST .../ack`) when that poll failed.
    const alone = url.endsWith('/ack');
    if ((alone || url.endsWith('/deliveries')) && typeof init?.body === 'string') {
      const body = JSON.parse(init.body) as { deliveryIds?: string[]; ack?: string[] };
      const ids = (alone ? body.deliveryIds : body.ack) ?? [];
      const victim = ids.map((id) => this.messageOfDelivery.get(id)).find((m): m is string => m !== undefined && this.planned.has(m));
      if (victim !== undefined) {
        const how = this.planned.get(victim)!;
        // A dropped connection fails the poll carrying the ack and the ack sent again on its own.
        if (how === 'reset') {
          if (alone) this.planned.delete(victim);
          throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
        }
        this.planned.delete(victim);
        if (alone) return Response.json({ acked: ids.length });
        init = { ...init, body: JSON.stringify({ ...body, ack: [] }) };
      }
    }
    const response = await globalThis.fetch(input, init);
    if (url.includes('/deliveries') && response.ok) {
      const { deliveries } = (await response.clone().json()) as { deliveries: Array<{ id: string; body: { kind: string; messageId?: string } }> };
      for (const { id, body } of deliveries) {
        if (body.kind !== 'message' || body.messageId === undefined) continue;
        this.messageOfDelivery.set(id, body.messageId);
        this.offered.set(body.messageId, (this.offered.get(body.messageId) ?? 0) + 1);
      }
    }
    return response;
  };
}

/** fileEncSha256 of `plain` encrypted with `mediaKey` the way WhatsApp clients do: proves a sealed key is the real one. */
async function encSha256(plain: Buffer, mediaKey: Buffer, mediaType: MediaType): Promise<Buffer> {
  const { iv, cipherKey, macKey } = await getMediaKeys(mediaKey, mediaType);
  const cipher = createCipheriv('aes-256-cbc', cipherKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  const mac = createHmac('sha256', macKey!).update(iv).update(ciphertext).digest().subarray(0, 10);
  return createHash('sha256').update(ciphertext).update(mac).digest();
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const jid = (phone: string): string => `${phone}@s.whatsapp.net`;
const recorded = (e: Value): Value => e.data['wa.conversation.MessageRecorded'];
/** The one branch of a wrapped Avro union, with its short name. */
function branchOf(union: Value): [string, Value] {
  const entries = Object.entries(union);
  assert.equal(entries.length, 1, `one union branch, got ${Object.keys(union).join(', ')}`);
  const [name, value] = entries[0]!;
  return [name.slice(name.lastIndexOf('.') + 1), value as Value];
}

describe('connector inbound traffic with the simulator (real broker, real HTTP)', () => {
  let h: ConnectorHarness;
  let log: EventLog;
  const network = new FlakyNetwork();

  before(async () => {
    h = await ConnectorHarness.start({ partitions: PARTITIONS });
    log = new EventLog(h);
    await h.startConnector({ fetch: network.fetch });
  });

  after(async () => {
    await h?.stop();
    assert.deepEqual(h?.fatal, []);
  });

  /** Every event of the account carries sequences 1, 2, 3... per topic. */
  function assertGapFree(accountId: string): void {
    for (const topic of [h.topics.conversation.name, h.topics.account.name, h.topics.presence.name]) {
      const sequences = log
        .all()
        .filter((s) => s.record.topic === topic && s.record.key === accountId)
        .map((s) => Number(s.event.sequence));
      assert.deepEqual(sequences, sequences.map((_, i) => i + 1), `${accountId} sequences on ${topic}`);
    }
  }

  /** The envelope, key and headers every live inbound message record must have. */
  function assertInboundEnvelope(seen: Seen, expected: { accountId: string; chatJid: string; messageId: string; occurredAt: number }): void {
    const { record, event } = seen;
    assert.match(event.eventId, /^[0-9a-f]{32}$/);
    assert.equal(event.eventId, eventId('message', expected.accountId, [expected.chatJid, expected.messageId, 'false']), 'eventId from the natural key');
    assert.equal(event.type, 'message.received');
    assert.equal(event.accountId, expected.accountId);
    assert.equal(event.chatJid, expected.chatJid);
    assert.ok(Number(event.sequence) >= 1);
    assert.equal(event.occurredAt, expected.occurredAt, 'occurredAt is the WhatsApp message time');
    assert.ok(event.recordedAt >= event.occurredAt && event.recordedAt <= Date.now(), 'recordedAt is when the connector wrote it');
    assert.equal(typeof event.correlationId, 'string');
    assert.ok(event.correlationId.length > 0);
    assert.equal(event.causationId, null);
    assert.equal(event.source, 'LIVE');
    assert.equal(event.driver, 'simulator');

    assert.equal(record.topic, h.topics.conversation.name);
    assert.equal(record.key, expected.accountId);
    assert.equal(record.value!.subarray(0, 2).toString('hex'), 'c301', 'single-object encoding');
    assert.equal(record.headers['ce_id'], event.eventId);
    assert.equal(record.headers['ce_type'], 'message.received');
    assert.equal(record.headers['ce_source'], 'wa-backbone/connector');
    assert.equal(record.headers['ce_time'], new Date(expected.occurredAt).toISOString());
    assert.equal(record.headers['ce_specversion'], '1.0');
    assert.equal(record.headers['content-type'], 'application/avro');
    assert.match(record.headers['traceparent'] ?? '', TRACEPARENT);
  }

  describe('inbound messages of every type', () => {
    const ACCOUNT = 'inbound-1';
    const PHONE = '15550100000';
    const GROUP = '120363000000000777@g.us';
    // WhatsApp message times are whole seconds.
    const at = Math.floor(Date.now() / 1000) * 1000 - 60_000;

    interface Case {
      name: string;
      from: string;
      body: Value;
      kind: string;
      branch: string;
      /** Bytes sent as media, and how WhatsApp encrypts that media type. */
      media?: { bytes: Buffer; mimetype: string; mediaType: MediaType; fileName?: string };
      check: (content: Value, message: Value) => void;
      /** Filled in once sent. */
      messageId?: string;
      chatJid?: string;
    }

    const image = randomBytes(48 * 1024);
    const video = randomBytes(96 * 1024);
    const audio = randomBytes(20 * 1024);
    const voice = randomBytes(12 * 1024);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(30 * 1024)]);
    const sticker = randomBytes(9 * 1024);
    const b64 = (bytes: Buffer): string => bytes.toString('base64');

    const cases: Case[] = [
      {
        name: 'text',
        from: '15550100001',
        body: { type: 'text', text: 'hello from a phone' },
        kind: 'TEXT',
        branch: 'TextContent',
        check: (c) => assert.equal(c.text, 'hello from a phone'),
      },
      {
        name: 'image with caption',
        from: '15550100002',
        body: { type: 'image', caption: 'look at this', media: b64(image), mimetype: 'image/png' },
        kind: 'IMAGE',
        branch: 'ImageContent',
        media: { bytes: image, mimetype: 'image/png', mediaType: 'image' },
        check: (c) => assert.equal(c.caption, 'look at this'),
      },
      {
        name: 'video',
        from: '15550100003',
        body: { type: 'video', caption: 'a clip', media: b64(video) },
        kind: 'VIDEO',
        branch: 'VideoContent',
        media: { bytes: video, mimetype: 'video/mp4', mediaType: 'video' },
        check: (c) => {
          assert.equal(c.caption, 'a clip');
          assert.equal(c.gifPlayback, false);
          assert.equal(c.media.seconds, 1);
        },
      },
      {
        name: 'audio',
        from: '15550100004',
        body: { type: 'audio', media: b64(audio) },
        kind: 'AUDIO',
        branch: 'AudioContent',
        media: { bytes: audio, mimetype: 'audio/mpeg', mediaType: 'audio' },
        check: (c) => assert.equal(c.ptt, false),
      },
      {
        name: 'voice note',
        from: '15550100005',
        body: { type: 'voice', media: b64(voice) },
        kind: 'VOICE',
        branch: 'AudioContent',
        media: { bytes: voice, mimetype: 'audio/ogg; codecs=opus', mediaType: 'audio' },
        check: (c) => assert.equal(c.ptt, true),
      },
      {
        name: 'document with file name',
        from: '15550100006',
        body: { type: 'document', fileName: 'invoice-42.pdf', media: b64(pdf), mimetype: 'application/pdf' },
        kind: 'DOCUMENT',
        branch: 'DocumentContent',
        media: { bytes: pdf, mimetype: 'application/pdf', mediaType: 'document', fileName: 'invoice-42.pdf' },
        check: (c) => {
          assert.equal(c.title, 'invoice-42.pdf');
          assert.equal(c.caption, null);
        },
      },
      {
        name: 'sticker',
        from: '15550100007',
        body: { type: 'sticker', media: b64(sticker) },
        kind: 'STICKER',
        branch: 'StickerContent',
        media: { bytes: sticker, mimetype: 'image/webp', mediaType: 'sticker' },
        check: (c) => assert.equal(c.isAnimated, false),
      },
      {
        name: 'location',
        from: '15550100008',
        body: { type: 'location', location: { latitude: 52.520008, longitude: 13.404954, name: 'Alexanderplatz', address: 'Berlin' } },
        kind: 'LOCATION',
        branch: 'LocationContent',
        check: (c) => {
          assert.equal(c.latitude, 52.520008);
          assert.equal(c.longitude, 13.404954);
          assert.equal(c.name, 'Alexanderplatz');
          assert.equal(c.address, 'Berlin');
        },
      },
      {
        name: 'contact',
        from: '15550100009',
        body: { type: 'contact', contact: { name: 'Ada Lovelace', phone: '+44 20 7946 0018' } },
        kind: 'CONTACT',
        branch: 'ContactContent',
        check: (c) => {
          assert.equal(c.displayName, 'Ada Lovelace');
          assert.match(c.vcard, /^BEGIN:VCARD\n/);
          assert.match(c.vcard, /FN:Ada Lovelace/);
          assert.match(c.vcard, /waid=442079460018:\+442079460018/);
        },
      },
    ];
    const textCase = cases[0]!;
    const reply: Case = {
      name: 'quoted reply',
      from: textCase.from,
      body: { type: 'text', text: 'replying to you' },
      kind: 'TEXT',
      branch: 'TextContent',
      check: (c, message) => {
        assert.equal(c.text, 'replying to you');
        assert.equal(message.contextInfo.quotedMessageId, textCase.messageId);
        assert.equal(message.contextInfo.quotedParticipant, jid(textCase.from));
        assert.equal(message.contextInfo.quotedKind, 'TEXT');
        assert.equal(message.contextInfo.quotedText, 'hello from a phone');
        assert.equal(message.key.participant, null);
      },
    };
    const inGroup: Case = {
      name: 'group message',
      from: '15550100010',
      body: { type: 'text', text: 'hello group', group: GROUP },
      kind: 'TEXT',
      branch: 'TextContent',
      check: (c, message) => {
        assert.equal(c.text, 'hello group');
        assert.equal(message.key.remoteJid, GROUP);
        assert.equal(message.key.participant, jid('15550100010'));
        assert.equal(message.senderJid, jid('15550100010'));
      },
    };
    cases.push(reply, inGroup);
    const mediaCases = (): Case[] => cases.filter((c) => c.media);

    before(async () => {
      await h.linkedAccount(ACCOUNT, PHONE);
      for (const [i, c] of cases.entries()) {
        const body = { accountId: ACCOUNT, from: c.from, pushName: `Sender ${c.from.slice(-2)}`, timestamp: at + i * 1000, ...c.body };
        if (c === reply) Object.assign(body, { quotedMessageId: textCase.messageId });
        const sent = await h.sim('/sim/inbound', body);
        assert.equal(sent.duplicate, false);
        c.messageId = sent.messageId as string;
        c.chatJid = c === inGroup ? GROUP : jid(c.from);
      }
      // A last message: the account's deliveries are handled in order, so once it is on Kafka every earlier one is too.
      const marker = await h.sim('/sim/inbound', { accountId: ACCOUNT, from: '15550100011', text: 'marker' });
      await log.waitFor(ACCOUNT, 'message.received', (e) => recorded(e).message.key.id === marker.messageId, 1, 'the marker message');
    });

    for (const [i, c] of cases.entries()) {
      it(`given a ${c.name} from a phone, then exactly one message.received with its envelope, kind and content is on the conversation topic`, () => {
        const found = log.of(ACCOUNT, 'message.received').filter((s) => recorded(s.event).message.key.id === c.messageId);
        assert.equal(found.length, 1, `one record of ${c.messageId}`);
        const seen = found[0]!;
        assertInboundEnvelope(seen, { accountId: ACCOUNT, chatJid: c.chatJid!, messageId: c.messageId!, occurredAt: at + i * 1000 });
        const data = recorded(seen.event);
        assert.equal(data.direction, 'INBOUND');
        assert.equal(data.upsertType, 'NOTIFY');
        const message = data.message as Value;
        assert.equal(message.key.remoteJid, c.chatJid);
        assert.equal(message.key.id, c.messageId);
        assert.equal(message.key.fromMe, false);
        assert.equal(message.senderJid, jid(c.from));
        assert.equal(message.pushName, `Sender ${c.from.slice(-2)}`);
        assert.equal(message.timestamp, at + i * 1000);
        assert.equal(message.kind, c.kind);
        assert.equal(message.isStatus, false);
        const [branch, content] = branchOf(message.content);
        assert.equal(branch, c.branch);
        c.check(content, message);
        if (c !== reply) assert.equal(message.contextInfo?.quotedMessageId ?? null, null);
        if (c !== inGroup) assert.equal(message.key.participant, null);
        // The decoded value is a valid ConversationEvent: it encodes back to the same bytes.
        assert.deepEqual(h.codec.encode('wa.conversation.ConversationEvent', seen.event), seen.record.value);
      });
    }

    it('given inbound media, then the MediaRef names the sent bytes, is PENDING and carries the media key only sealed', async () => {
      assert.equal(mediaCases().length, 6);
      for (const c of mediaCases()) {
        const seen = log.of(ACCOUNT, 'message.received').find((s) => recorded(s.event).message.key.id === c.messageId)!;
        const media = branchOf(recorded(seen.event).message.content)[1].media as Value;
        const sha = sha256Hex(c.media!.bytes);
        assert.equal(media.mediaId, sha, `${c.name}: mediaId is the hex SHA-256 of the bytes`);
        assert.equal(media.sha256, sha);
        assert.equal(media.status, 'PENDING');
        assert.equal(media.mimetype, c.media!.mimetype);
        assert.equal(Number(media.fileLength), c.media!.bytes.length);
        assert.equal(media.fileName, c.media!.fileName ?? null);
        assert.equal(typeof media.directPath, 'string');
        assert.ok(Buffer.isBuffer(media.fileEncSha256) && media.fileEncSha256.length === 32);
        assert.equal(media.mediaKeyTimestamp, Math.floor(Number(seen.event.occurredAt) / 1000) * 1000);

        const sealed = media.mediaKeyEncrypted as EncryptedValue | null;
        assert.ok(sealed, `${c.name}: mediaKeyEncrypted`);
        assert.deepEqual(Object.keys(sealed).sort(), ['authTag', 'ciphertext', 'iv', 'keyId']);
        const mediaKey = h.box.open(sealed, `${ACCOUNT}|${c.chatJid}|${c.messageId}`);
        assert.equal(mediaKey.length, 32);
        // It is the key the phone encrypted with, it is bound to its message, and it is nowhere in clear.
        assert.deepEqual(await encSha256(c.media!.bytes, mediaKey, c.media!.mediaType), media.fileEncSha256);
        assert.throws(() => h.box.open(sealed, `${ACCOUNT}|${c.chatJid}|someOtherMessage`));
        assert.equal(seen.record.value!.indexOf(mediaKey), -1, `${c.name}: the record holds no clear media key`);
        assert.equal(seen.record.value!.indexOf(mediaKey.toString('base64')), -1);
        assert.equal(seen.record.value!.indexOf(mediaKey.toString('hex')), -1);
      }
    });

    it('given inbound media, then a message.media STORED event follows for the message and the store streams exactly the sent bytes', async () => {
      for (const c of mediaCases()) {
        const sha = sha256Hex(c.media!.bytes);
        const [stored] = await log.waitFor(
          ACCOUNT,
          'message.media',
          (e) => e.data['wa.conversation.MessageMediaUpdated'].targetKey.id === c.messageId,
          1,
          `message.media of the ${c.name}`,
        );
        const { event, record } = stored!;
        const update = event.data['wa.conversation.MessageMediaUpdated'] as Value;
        assert.equal(update.media.status, 'STORED', JSON.stringify(update.error));
        assert.equal(update.error, null);
        assert.equal(update.media.mediaId, sha);
        assert.equal(update.media.sha256, sha);
        assert.equal(Number(update.media.fileLength), c.media!.bytes.length);
        assert.equal(update.media.mediaKeyEncrypted ?? null, null);
        assert.deepEqual(
          { remoteJid: update.targetKey.remoteJid, id: update.targetKey.id, fromMe: update.targetKey.fromMe },
          { remoteJid: c.chatJid, id: c.messageId, fromMe: false },
        );
        assert.equal(event.chatJid, c.chatJid);
        assert.equal(event.driver, 'simulator');
        assert.match(event.eventId, /^[0-9a-f]{32}$/);
        assert.equal(event.eventId, eventId('message.media', ACCOUNT, [c.chatJid, c.messageId, 'false', 'STORED', sha]));
        assert.equal(record.headers['ce_type'], 'message.media');
        assert.equal(record.headers['content-type'], 'application/avro');
        const received = log.of(ACCOUNT, 'message.received').find((s) => recorded(s.event).message.key.id === c.messageId)!;
        assert.ok(Number(event.sequence) > Number(received.event.sequence), 'the media outcome follows its message');

        const bytes = await readAll(await h.media.open(sha));
        assert.ok(bytes.equals(c.media!.bytes), `${c.name}: the store holds the sent bytes`);
        assert.equal((await h.media.stat(sha))?.mimetype, c.media!.mimetype);
      }
      // Exactly one outcome per media message, and none for the others.
      const outcomes = log.of(ACCOUNT, 'message.media').map((s) => s.event.data['wa.conversation.MessageMediaUpdated'].targetKey.id as string);
      assert.deepEqual([...outcomes].sort(), mediaCases().map((c) => c.messageId!).sort());
    });

    it('given the same inbound message id posted twice, then the network keeps one and Kafka gets one record', async () => {
      const first = await h.sim('/sim/inbound', { accountId: ACCOUNT, from: '15550100012', text: 'only once', messageId: '3AFEEDFACE0001' });
      assert.equal(first.duplicate, false);
      const again = await h.sim('/sim/inbound', { accountId: ACCOUNT, from: '15550100012', text: 'only once', messageId: '3AFEEDFACE0001' });
      assert.equal(again.duplicate, true);
      const marker = await h.sim('/sim/inbound', { accountId: ACCOUNT, from: '15550100012', text: 'after the duplicate' });
      await log.waitFor(ACCOUNT, 'message.received', (e) => recorded(e).message.key.id === marker.messageId, 1, 'the message after the duplicate');
      assert.equal(log.of(ACCOUNT, 'message.received').filter((s) => recorded(s.event).message.key.id === '3AFEEDFACE0001').length, 1);
    });

    it('given all that traffic, then the account sequences are gap-free on every topic', () => {
      assertGapFree(ACCOUNT);
    });
  });

  describe('receipts', () => {
    const ACCOUNT = 'receipts-1';

    it('given a sent message, when the recipient phone reports delivered then read, then message.status DELIVERY_ACK then READ follow for that key', async () => {
      await h.linkedAccount(ACCOUNT, '15550300000');
      const to = jid('15550300001');
      const commandId = await h.command(ACCOUNT, 'message.send', 'SendMessage', { to, content: { 'wa.conversation.TextContent': { text: 'did you get this?' } } });
      const [sent] = await h.resultsFor(commandId);
      assert.equal(sent!.status, 'SUCCEEDED', JSON.stringify(sent!.error));
      const messageId = sent!.result['wa.commands.MessageSentResult'].messageId as string;
      const forMessage = (status: string) => (e: Value) => {
        const change = e.data['wa.conversation.MessageStatusChanged'];
        return change.key.id === messageId && change.status === status;
      };

      await h.sim('/sim/receipt', { accountId: ACCOUNT, messageId, status: 'delivered' });
      const [delivered] = await log.waitFor(ACCOUNT, 'message.status', forMessage('DELIVERY_ACK'), 1, 'the delivery receipt');
      await h.sim('/sim/receipt', { accountId: ACCOUNT, messageId, status: 'read' });
      const [read] = await log.waitFor(ACCOUNT, 'message.status', forMessage('READ'), 1, 'the read receipt');

      for (const [seen, status] of [
        [delivered!, 'DELIVERY_ACK'],
        [read!, 'READ'],
      ] as const) {
        const { event, record } = seen;
        const change = event.data['wa.conversation.MessageStatusChanged'] as Value;
        assert.deepEqual({ remoteJid: change.key.remoteJid, id: change.key.id, fromMe: change.key.fromMe }, { remoteJid: to, id: messageId, fromMe: true });
        assert.equal(change.participantJid, null);
        assert.equal(typeof change.statusAt, 'number');
        assert.equal(event.chatJid, to);
        assert.equal(event.source, 'LIVE');
        assert.equal(event.driver, 'simulator');
        assert.equal(event.causationId, null);
        assert.equal(event.eventId, eventId('message.status', ACCOUNT, [to, messageId, 'true', status, '']));
        assert.equal(record.headers['ce_type'], 'message.status');
        assert.equal(record.topic, h.topics.conversation.name);
      }
      assert.ok(Number(read!.event.sequence) > Number(delivered!.event.sequence));
      // The sent message itself was recorded first, under the same key.
      const sentEvent = log.of(ACCOUNT, 'message.sent').find((s) => recorded(s.event).message.key.id === messageId);
      assert.ok(sentEvent && Number(sentEvent.event.sequence) < Number(delivered!.event.sequence));
      assert.equal(log.of(ACCOUNT, 'message.status').filter((s) => forMessage('READ')(s.event)).length, 1);

      // The network agrees.
      const outbox = (await h.simGet(`/sim/outbox?accountId=${ACCOUNT}`)).messages as Value[];
      assert.equal(outbox.find((m) => m.messageId === messageId)?.status, 'read');
      assertGapFree(ACCOUNT);
    });
  });

  describe('history sync', () => {
    const ACCOUNT = 'history-1';

    it(`given a phone with ${HISTORY_MESSAGES} past messages, when it links, then every one is a message.history event, in chunks each closed by history.sync`, async (t) => {
      const started = Date.now();
      await h.linkedAccount(ACCOUNT, '15550400000', { historyMessages: HISTORY_MESSAGES });
      const chunks = HISTORY_MESSAGES / HISTORY_CHUNK;
      const syncs = await log.waitFor(ACCOUNT, 'history.sync', () => true, chunks, `${chunks} history.sync chunks`, 180_000);
      const history = log.of(ACCOUNT, 'message.history');
      const elapsed = Date.now() - started;
      assert.equal(history.length, HISTORY_MESSAGES);
      assert.equal(syncs.length, chunks);

      // Every message once, each with its deterministic id, as imported history.
      const keys = new Set<string>();
      const ids = new Set<string>();
      let outbound = 0;
      for (const { event, record } of history) {
        const message = recorded(event).message as Value;
        keys.add(message.key.id);
        ids.add(event.eventId);
        assert.equal(event.source, 'HISTORY_SYNC');
        assert.equal(event.driver, 'simulator');
        assert.equal(event.chatJid, message.key.remoteJid);
        assert.equal(event.eventId, eventId('message', ACCOUNT, [event.chatJid, message.key.id, String(message.key.fromMe)]));
        assert.equal(recorded(event).upsertType, 'UNKNOWN');
        assert.equal(recorded(event).direction, message.key.fromMe ? 'OUTBOUND' : 'INBOUND');
        assert.equal(message.kind, 'TEXT');
        assert.equal(record.headers['ce_type'], 'message.history');
        if (message.key.fromMe) outbound += 1;
      }
      assert.equal(keys.size, HISTORY_MESSAGES);
      assert.equal(ids.size, HISTORY_MESSAGES);
      assert.equal(outbound, HISTORY_MESSAGES / 4, 'every fourth generated message is the phone’s own');

      // Chunks in order: each history.sync follows exactly its own messages.
      const progress = syncs.map((s) => s.event.data['wa.conversation.HistorySyncProgress'] as Value);
      assert.deepEqual(progress.map((p) => p.chunkOrder), [1, 2, 3, 4, 5]);
      assert.deepEqual(progress.map((p) => p.progress), [20, 40, 60, 80, 100]);
      assert.deepEqual(progress.map((p) => p.syncType), ['INITIAL_BOOTSTRAP', 'RECENT', 'RECENT', 'RECENT', 'RECENT']);
      assert.deepEqual(progress.map((p) => p.messageCount), Array(chunks).fill(HISTORY_CHUNK));
      assert.deepEqual(progress.map((p) => p.isLatest), [true, false, false, false, false]);
      for (const [i, sync] of syncs.entries()) {
        assert.equal(sync.event.source, 'HISTORY_SYNC');
        assert.equal(sync.event.chatJid, null);
        const before = history.filter((m) => Number(m.event.sequence) < Number(sync.event.sequence)).length;
        assert.equal(before, (i + 1) * HISTORY_CHUNK, `history.sync ${i + 1} closes its own ${HISTORY_CHUNK} messages`);
      }
      // The chunks arrive newest first: chunk 1's oldest message is newer than chunk 2's.
      const oldest = progress.map((p) => Number(p.oldestMessageAt));
      assert.deepEqual([...oldest].sort((a, b) => b - a), oldest);

      // Chats (and their contacts) come with the history, before the chunk's history.sync.
      const chats = log.of(ACCOUNT, 'chat.upserted').filter((s) => s.event.source === 'HISTORY_SYNC');
      const chatJids = new Set(chats.map((s) => s.event.chatJid as string));
      assert.equal(chatJids.size, 50, 'the simulator spreads the history over 50 chats');
      for (const chatJid of new Set(history.map((m) => m.event.chatJid as string))) assert.ok(chatJids.has(chatJid), `chat ${chatJid} upserted`);
      assert.ok(Number(chats[0]!.event.sequence) < Number(syncs[0]!.event.sequence));
      const contacts = log.of(ACCOUNT, 'contact.upserted').filter((s) => s.event.source === 'HISTORY_SYNC');

      // Nothing imported twice: every history event has its own id.
      const all = [...history, ...syncs, ...chats, ...contacts];
      assert.equal(new Set(all.map((s) => s.event.eventId)).size, all.length);
      assertGapFree(ACCOUNT);
      t.diagnostic(`${HISTORY_MESSAGES} messages, ${chats.length} chat and ${contacts.length} contact events imported in ${elapsed} ms`);
    });
  });

  describe('redelivery', () => {
    const ACCOUNT = 'redelivery-1';

    before(async () => {
      await h.linkedAccount(ACCOUNT, '15550500000');
    });

    for (const how of ['lost', 'reset'] as const) {
      const when = how === 'lost' ? 'the ack is lost on the way' : 'the connection drops before the ack';
      it(`given an inbound message written to Kafka, when ${when}, then the simulator delivers it again and it keeps its eventId`, async () => {
        const messageId = `3ABEEF${how.toUpperCase()}0001`;
        network.loseAckOf(messageId, how);
        const sent = await h.sim('/sim/inbound', { accountId: ACCOUNT, from: '15550500001', text: `redelivered after ${how}`, messageId });
        assert.equal(sent.messageId, messageId);
        const isIt = (e: Value): boolean => recorded(e).message.key.id === messageId;
        await waitFor(() => (network.offered.get(messageId) ?? 0) >= 2, `the simulator offering ${messageId} again`, { timeoutMs: 30_000 });
        // A later message: once it is on Kafka, the redelivered one has been handled too.
        const marker = await h.sim('/sim/inbound', { accountId: ACCOUNT, from: '15550500001', text: `after ${how}` });
        await log.waitFor(ACCOUNT, 'message.received', (e) => recorded(e).message.key.id === marker.messageId, 1, `the message after the ${how} ack`);

        const records = log.of(ACCOUNT, 'message.received').filter((s) => isIt(s.event));
        assert.ok(records.length >= 1);
        const expected = eventId('message', ACCOUNT, [jid('15550500001'), messageId, 'false']);
        for (const { event, record } of records) {
          assert.equal(event.eventId, expected);
          assert.equal(record.headers['ce_id'], expected);
        }
        // Delivered at least twice, and the network now counts it as acknowledged: it is not offered again.
        assert.ok(network.offered.get(messageId)! >= 2);
        await waitFor(async () => (await h.simGet(`/sim/accounts/${ACCOUNT}`)).pendingDeliveries === 0, 'nothing left to deliver');
        assertGapFree(ACCOUNT);
      });
    }

    it(
      'given the connection dropped above, when the session reconnected, then the new connection’s state events do not reuse the first one’s eventIds',
      async () => {
        const stateOf = (s: Seen): string => s.event.data['wa.account.ConnectionStateChanged'].state;
        const states = await waitFor(() => {
          const all = log.of(ACCOUNT, 'connection.state');
          const reconnecting = all.findIndex((s) => stateOf(s) === 'RECONNECTING');
          return reconnecting >= 0 && all.slice(reconnecting).some((s) => stateOf(s) === 'CONNECTED') ? all : null;
        }, 'CONNECTED after RECONNECTING');
        const ids = states.map((s) => s.event.eventId);
        assert.equal(new Set(ids).size, ids.length, `state events with repeated ids: ${states.map((s) => `${stateOf(s)} ${s.event.eventId.slice(0, 8)}`).join(', ')}`);
      },
    );
  });
});
