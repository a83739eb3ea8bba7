import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Boom } from '@hapi/boom';
import { proto, type WAMessage } from '@whiskeysockets/baileys';
import { WaError } from '../../shared/index.js';
import { FileMediaStore, type MediaStore, type StoredMedia } from '../../shared/media/index.js';
import type { BaileysEventBatch } from '../drivers/Driver.js';
import type { AvroValue } from '../events/index.js';
import { commandError } from './commandError.js';
import { COMMAND_TYPES, type CommandType } from '../../shared/commands/index.js';
import type { CommandValue, MessageTargetValue, PayloadName } from '../../shared/commands/index.js';
import { execute, labelIdFor, pinDuration, type ExecuteDeps, type ExecutionOutcome } from './execute.js';
import { outboundMessageId } from './outboundMessageId.js';
import { ALICE, BOB, ME, ME_BARE, NOW, encodeSucceeded, makeCommand } from './testing/commandFixtures.js';
import { RecordingSocket, TEST_GROUP_JID, TEST_NEWSLETTER_JID } from './testing/RecordingSocket.js';
import { samplePayloads } from './testing/samples.js';

type Fields = Record<string, unknown>;

const STATUS = 'status@broadcast';
const ID = outboundMessageId('cmd-0001');
const NOW_SECONDS = NOW / 1000;

/** A media store that remembers every stream it opened, to prove they are all closed. */
class SpyStore implements MediaStore {
  readonly opened: Readable[] = [];
  constructor(private readonly inner: MediaStore) {}
  put(body: Readable | Uint8Array, options?: { mimetype?: string | null; maxBytes?: number }): Promise<StoredMedia> {
    return this.inner.put(body, options);
  }
  stat(mediaId: string): Promise<StoredMedia | null> {
    return this.inner.stat(mediaId);
  }
  async open(mediaId: string): Promise<Readable> {
    const stream = await this.inner.open(mediaId);
    this.opened.push(stream);
    return stream;
  }
}

let dir: string;
let store: SpyStore;
let image: StoredMedia;
const IMAGE_BYTES = Buffer.from('not really a jpeg, but bytes all the same');

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wa-commands-'));
  store = new SpyStore(FileMediaStore.inDataDir(dir));
  image = await store.put(IMAGE_BYTES, { mimetype: 'image/jpeg' });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Ran {
  outcome: ExecutionOutcome;
  socket: RecordingSocket;
  command: CommandValue;
}

/** Executes one command against a fresh recording socket; the result must encode as a SUCCEEDED CommandResult. */
async function run(
  type: string,
  payloadName: PayloadName,
  payload: AvroValue,
  options: { socket?: RecordingSocket; deps?: Partial<ExecuteDeps>; commandId?: string } = {},
): Promise<Ran> {
  const socket = options.socket ?? new RecordingSocket(ME);
  const command = makeCommand(type, payloadName, payload, options.commandId === undefined ? {} : { commandId: options.commandId });
  const outcome = await execute(command, { socket: socket.port, media: store, accountId: 'acc-1', meJid: ME, now: () => NOW, ...options.deps });
  encodeSucceeded(command, outcome.result);
  return { outcome, socket, command };
}

const send = (payload: AvroValue, options?: Parameters<typeof run>[3]) => run('message.send', 'wa.commands.SendMessage', payload, options);

/** The one sendMessage call of a run: [jid, content, options]. */
function sendCall(socket: RecordingSocket): [string, Fields, Fields] {
  const calls = socket.callsTo('sendMessage');
  assert.equal(calls.length, 1, 'exactly one sendMessage');
  return calls[0] as [string, Fields, Fields];
}

/** The one message of a `messages.upsert` effect. */
function upserted(effects: BaileysEventBatch): WAMessage {
  const upsert = effects['messages.upsert'];
  assert.ok(upsert, 'a messages.upsert effect');
  assert.equal(upsert.type, 'append');
  assert.equal(upsert.messages.length, 1);
  return upsert.messages[0]!;
}

function sentResult(result: AvroValue | null, messageId: string, chatJid: string): void {
  assert.deepEqual(result, { 'wa.commands.MessageSentResult': { messageId, chatJid, timestamp: NOW, status: 'SERVER_ACK' } });
}

const text = (value: string): AvroValue => ({ 'wa.conversation.TextContent': { text: value } });
const media = (extra: Fields = {}): Fields => ({ mediaId: image.mediaId, ...extra });
const hex = (bytes: Uint8Array | null | undefined): string => Buffer.from(bytes ?? []).toString('hex');

const storedMessage = (target: MessageTargetValue, conversation: string, fromMe = false): WAMessage => ({
  key: { remoteJid: target.chatJid, id: target.messageId, fromMe, ...(target.participant ? { participant: target.participant } : {}) },
  message: { conversation },
  messageTimestamp: 1_700_000_000,
});

describe('execute message.send', () => {
  it('given a text, then Baileys sends { text } under the id derived from the commandId and the sent message is the effect', async () => {
    const { outcome, socket } = await send({ to: ALICE, content: text('hello') });
    const [jid, content, options] = sendCall(socket);
    assert.equal(jid, ALICE);
    assert.deepEqual(content, { text: 'hello' });
    assert.equal(options['messageId'], ID);
    sentResult(outcome.result, ID, ALICE);
    const message = upserted(outcome.effects);
    assert.deepEqual({ ...message.key }, { remoteJid: ALICE, fromMe: true, id: ID });
    assert.equal(message.message?.extendedTextMessage?.text, 'hello');
  });

  it('given the same command executed twice (a crash in between), then both sends carry the same message id', async () => {
    const first = await send({ to: ALICE, content: text('once') }, { commandId: 'cmd-retried' });
    const second = await send({ to: ALICE, content: text('once') }, { commandId: 'cmd-retried' });
    assert.equal(upserted(first.outcome.effects).key.id, outboundMessageId('cmd-retried'));
    assert.equal(upserted(second.outcome.effects).key.id, outboundMessageId('cmd-retried'));
  });

  it('given a messageId in the payload, then it is used', async () => {
    const { outcome } = await send({ to: ALICE, content: text('x'), messageId: 'ABCDEF123456' });
    sentResult(outcome.result, 'ABCDEF123456', ALICE);
  });

  it('given linkPreview false, then Baileys is told not to generate one; given a preview, then it is sent as is', async () => {
    const off = await send({ to: ALICE, content: text('see https://example.com'), linkPreview: false });
    assert.deepEqual(sendCall(off.socket)[1], { text: 'see https://example.com', linkPreview: null });
    const given = await send({
      to: ALICE,
      content: { 'wa.conversation.TextContent': { text: 'see https://example.com', linkPreview: { url: 'https://example.com', title: 'Example', description: 'An example' } } },
    });
    assert.deepEqual(sendCall(given.socket)[1], {
      text: 'see https://example.com',
      linkPreview: { 'canonical-url': 'https://example.com', 'matched-text': 'https://example.com', title: 'Example', description: 'An example' },
    });
    const ext = upserted(given.outcome.effects).message?.extendedTextMessage;
    assert.equal(ext?.title, 'Example');
    assert.equal(ext?.matchedText, 'https://example.com');
  });

  it('given an image in the media store, then its bytes are streamed to Baileys with the stored mimetype and the caption', async () => {
    const { outcome, socket } = await send({ to: ALICE, content: { 'wa.conversation.ImageContent': { media: media({ width: 640, height: 480 }), caption: 'look' } } });
    const content = sendCall(socket)[1];
    assert.ok(content['image'] && typeof content['image'] === 'object' && 'stream' in content['image'], 'a stream, not a buffer');
    assert.equal(content['mimetype'], 'image/jpeg');
    assert.deepEqual(socket.uploads, [IMAGE_BYTES]);
    const sent = upserted(outcome.effects).message?.imageMessage;
    assert.equal(hex(sent?.fileSha256), image.sha256);
    assert.equal(sent?.caption, 'look');
    assert.equal(sent?.mimetype, 'image/jpeg');
    assert.equal(sent?.width, 640);
  });

  it('given a GIF, a video note, a voice note, a document and a sticker, then each becomes its Baileys media content', async () => {
    const gif = await send({ to: ALICE, content: { 'wa.conversation.VideoContent': { media: media({ mimetype: 'video/mp4' }), gifPlayback: true } } });
    assert.equal(sendCall(gif.socket)[1]['gifPlayback'], true);
    assert.equal(upserted(gif.outcome.effects).message?.videoMessage?.gifPlayback, true);

    const ptv = await send({ to: ALICE, content: { 'wa.conversation.PtvContent': { media: media({ mimetype: 'video/mp4' }) } } });
    assert.equal(sendCall(ptv.socket)[1]['ptv'], true);
    assert.ok(upserted(ptv.outcome.effects).message?.ptvMessage);

    const voice = await send({ to: ALICE, content: { 'wa.conversation.AudioContent': { media: { mediaId: image.mediaId, seconds: 3 }, ptt: true } } });
    assert.equal(sendCall(voice.socket)[1]['mimetype'], 'image/jpeg', 'the stored mimetype wins over the voice default');
    const audio = upserted(voice.outcome.effects).message?.audioMessage;
    assert.equal(audio?.ptt, true);
    assert.equal(audio?.seconds, 3);

    const doc = await send({ to: ALICE, content: { 'wa.conversation.DocumentContent': { media: media({ mimetype: 'application/pdf', fileName: 'invoice.pdf' }), caption: 'your invoice' } } });
    const document = upserted(doc.outcome.effects).message;
    const docMessage = document?.documentMessage ?? document?.documentWithCaptionMessage?.message?.documentMessage;
    assert.equal(docMessage?.fileName, 'invoice.pdf');
    assert.equal(docMessage?.mimetype, 'application/pdf');

    const sticker = await send({ to: ALICE, content: { 'wa.conversation.StickerContent': { media: media({ mimetype: 'image/webp' }), isAnimated: true } } });
    assert.equal(upserted(sticker.outcome.effects).message?.stickerMessage?.isAnimated, true);
  });

  it('given a voice note without a known mimetype, then it goes out as ogg/opus', async () => {
    const untyped = await store.put(Buffer.from('opus frames'));
    const { socket } = await send({ to: ALICE, content: { 'wa.conversation.AudioContent': { media: { mediaId: untyped.mediaId }, ptt: true } } });
    assert.equal(sendCall(socket)[1]['mimetype'], 'audio/ogg; codecs=opus');
  });

  it('given a location and a live location, then they become locationMessage and an unforwarded liveLocationMessage', async () => {
    const pin = await send({ to: ALICE, content: { 'wa.conversation.LocationContent': { latitude: 52.52, longitude: 13.405, name: 'Berlin' } } });
    const location = upserted(pin.outcome.effects).message?.locationMessage;
    assert.equal(location?.degreesLatitude, 52.52);
    assert.equal(location?.name, 'Berlin');

    const live = await send({ to: ALICE, content: { 'wa.conversation.LiveLocationContent': { latitude: 1.5, longitude: 2.5, caption: 'on my way', sequenceNumber: 1 } } });
    const message = upserted(live.outcome.effects);
    assert.equal(message.key.id, ID);
    assert.equal(message.message?.liveLocationMessage?.caption, 'on my way');
    assert.notEqual(message.message?.liveLocationMessage?.contextInfo?.isForwarded, true);
  });

  it('given one contact and a contact list, then they become contactMessage and contactsArrayMessage', async () => {
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Alice Doe\nTEL;type=CELL;waid=15550000001:+1 555 000 0001\nEND:VCARD';
    const one = await send({ to: BOB, content: { 'wa.conversation.ContactContent': { vcard } } });
    const contact = upserted(one.outcome.effects).message?.contactMessage;
    assert.equal(contact?.displayName, 'Alice Doe', 'the display name comes from FN');
    assert.equal(contact?.vcard, vcard);

    const many = await send({ to: BOB, content: { 'wa.conversation.ContactsArrayContent': { displayName: 'Team', contacts: [{ vcard }, { vcard: vcard.replace('Alice', 'Carol'), displayName: 'Carol' }] } } });
    const array = upserted(many.outcome.effects).message?.contactsArrayMessage;
    assert.equal(array?.displayName, 'Team');
    assert.deepEqual(array?.contacts?.map((c) => c.displayName), ['Alice Doe', 'Carol']);
  });

  it('given polls, then selectableCount is passed and Baileys picks the poll version', async () => {
    const single = await send({ to: ALICE, content: { 'wa.conversation.PollCreationContent': { name: 'Lunch?', options: ['pizza', 'sushi'], selectableCount: 1 } } });
    const poll = sendCall(single.socket)[1]['poll'] as Fields;
    assert.deepEqual([poll['name'], poll['values'], poll['selectableCount']], ['Lunch?', ['pizza', 'sushi'], 1]);
    assert.equal(upserted(single.outcome.effects).message?.pollCreationMessageV3?.selectableOptionsCount, 1);

    const multi = await send({ to: ALICE, content: { 'wa.conversation.PollCreationContent': { name: 'Toppings', options: ['ham', 'olives', 'basil'], selectableCount: 0 } } });
    assert.deepEqual(upserted(multi.outcome.effects).message?.pollCreationMessage?.options?.map((o) => o.optionName), ['ham', 'olives', 'basil']);
  });

  it('given an event, then it becomes an eventMessage with its start in seconds', async () => {
    const start = NOW + 86_400_000;
    const { outcome, socket } = await send({
      to: TEST_GROUP_JID,
      content: { 'wa.conversation.EventContent': { name: 'Launch', description: 'Party', startTime: start, location: { latitude: 1, longitude: 2, name: 'Office' } } },
    });
    const event = sendCall(socket)[1]['event'] as Fields;
    assert.deepEqual(event['startDate'], new Date(start));
    const message = upserted(outcome.effects).message?.eventMessage;
    assert.equal(message?.name, 'Launch');
    assert.equal(Number(message?.startTime), start / 1000);
    assert.equal(message?.location?.name, 'Office');
  });

  it('given a quoted reply the connector cannot load, then the reply links the quoted id and sender', async () => {
    const quoted = { chatJid: TEST_GROUP_JID, messageId: '3EB0QUOTED00000000000A', fromMe: false, participant: ALICE };
    const { outcome } = await send({ to: TEST_GROUP_JID, content: text('yes'), quoted });
    const context = upserted(outcome.effects).message?.extendedTextMessage?.contextInfo;
    assert.equal(context?.stanzaId, quoted.messageId);
    assert.equal(context?.participant, ALICE);
  });

  it('given a quoted reply the connector has stored, then the quoted message content travels along', async () => {
    const quoted = { chatJid: ALICE, messageId: '3EB0QUOTED00000000000B', fromMe: null, participant: null };
    const loadMessage = async (target: MessageTargetValue) => storedMessage(target, 'are you coming?');
    const { outcome } = await send({ to: ALICE, content: text('yes'), quoted }, { deps: { loadMessage } });
    const context = upserted(outcome.effects).message?.extendedTextMessage?.contextInfo;
    assert.equal(context?.stanzaId, quoted.messageId);
    assert.equal(context?.quotedMessage?.conversation, 'are you coming?');
    assert.equal(context?.participant, ALICE);
  });

  it('given mentions, mentionAll, view-once and an ephemeral timer, then each reaches the message', async () => {
    const mentioned = await send({ to: TEST_GROUP_JID, content: text('@15550000001 hi all'), mentions: [ALICE], mentionAll: true });
    const context = upserted(mentioned.outcome.effects).message?.extendedTextMessage?.contextInfo;
    assert.deepEqual(context?.mentionedJid, [ALICE]);
    assert.equal(context?.nonJidMentions, 1);

    const once = await send({ to: ALICE, content: { 'wa.conversation.ImageContent': { media: media() } }, viewOnce: true });
    assert.ok(upserted(once.outcome.effects).message?.viewOnceMessage?.message?.imageMessage);

    const ephemeral = await send({ to: ALICE, content: text('gone soon'), ephemeralExpirationSeconds: 86_400 });
    assert.equal(sendCall(ephemeral.socket)[2]['ephemeralExpiration'], 86_400);
    assert.equal(upserted(ephemeral.outcome.effects).message?.extendedTextMessage?.contextInfo?.expiration, 86_400);
  });

  it('given media as a URL, then the runtime fetches it; without a fetcher the command fails UNSUPPORTED', async () => {
    const fetched: string[] = [];
    const fetchUrl = async (url: string) => {
      fetched.push(url);
      return Readable.from([Buffer.from('remote bytes')]);
    };
    const payload = { to: ALICE, content: { 'wa.conversation.ImageContent': { media: { mediaId: 'https://cdn.example.com/cat.jpg', mimetype: 'image/jpeg' } } } };
    const { socket } = await send(payload, { deps: { fetchUrl } });
    assert.deepEqual(fetched, ['https://cdn.example.com/cat.jpg']);
    assert.deepEqual(socket.uploads, [Buffer.from('remote bytes')]);

    const error = await send(payload).then(() => null, (e: unknown) => e);
    assert.equal(commandError(error).code, 'UNSUPPORTED');
  });

  it('given media that is not in the store, then it fails MEDIA_NOT_FOUND naming the field, before anything is sent', async () => {
    const socket = new RecordingSocket(ME);
    const error = await send({ to: ALICE, content: { 'wa.conversation.ImageContent': { media: { mediaId: 'f'.repeat(64) } } } }, { socket }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.deepEqual(commandError(error), {
      code: 'MEDIA_NOT_FOUND',
      message: `media ${'f'.repeat(64)} is not in the store`,
      retriable: false,
      statusCode: null,
      field: 'content.media.mediaId',
    });
    assert.equal(socket.callsTo('sendMessage').length, 0);
  });

  it('given a send that fails, then the media stream is closed and the Baileys error surfaces', async () => {
    const socket = new RecordingSocket(ME, {
      sendMessage: async () => {
        throw new Boom('Connection Closed', { statusCode: 428 });
      },
    });
    const openedBefore = store.opened.length;
    const error = await send({ to: ALICE, content: { 'wa.conversation.ImageContent': { media: media() } } }, { socket }).then(() => null, (e: unknown) => e);
    assert.equal(commandError(error).code, 'NOT_CONNECTED');
    const opened = store.opened.slice(openedBefore);
    assert.equal(opened.length, 1);
    assert.ok(opened.every((stream) => stream.destroyed), 'every opened stream is destroyed');
  });

  it('given a pacer, then it is awaited before the message goes out', async () => {
    const order: string[] = [];
    const socket = new RecordingSocket(ME);
    const paced = { pace: async () => void order.push(`pace (sent so far: ${socket.callsTo('sendMessage').length})`) };
    await send({ to: ALICE, content: text('hi') }, { socket, deps: paced });
    assert.deepEqual(order, ['pace (sent so far: 0)']);
  });
});

describe('execute newsletter.send', () => {
  it('given a newsletter post, then it is sent to the newsletter JID', async () => {
    const { outcome, socket } = await run('newsletter.send', 'wa.commands.SendMessage', { to: TEST_NEWSLETTER_JID, content: text('news') });
    assert.equal(sendCall(socket)[0], TEST_NEWSLETTER_JID);
    sentResult(outcome.result, ID, TEST_NEWSLETTER_JID);
  });
});

describe('execute message.react / delete / edit / pin / star', () => {
  const target = { chatJid: ALICE, messageId: '3EB0TARGET000000000000', fromMe: false };

  it('given a reaction, then Baileys sends { react } on the target key and the carrier is the result and effect', async () => {
    const { outcome, socket } = await run('message.react', 'wa.commands.ReactToMessage', { target, emoji: '🎉' });
    const [jid, content] = sendCall(socket);
    assert.equal(jid, ALICE);
    assert.deepEqual(content, { react: { text: '🎉', key: { remoteJid: ALICE, id: target.messageId, fromMe: false }, senderTimestampMs: NOW } });
    sentResult(outcome.result, ID, ALICE);
    assert.equal(upserted(outcome.effects).message?.reactionMessage?.text, '🎉');
  });

  it('given a target whose fromMe is unknown, then the stored message supplies the key; else a group participant decides', async () => {
    const loadMessage = async (t: MessageTargetValue) => storedMessage(t, 'mine', true);
    const loaded = await run('message.react', 'wa.commands.ReactToMessage', { target: { ...target, fromMe: null }, emoji: '👍' }, { deps: { loadMessage } });
    assert.equal(((sendCall(loaded.socket)[1]['react'] as Fields)['key'] as Fields)['fromMe'], true);

    const inGroup = await run('message.react', 'wa.commands.ReactToMessage', {
      target: { chatJid: TEST_GROUP_JID, messageId: 'ABCDEF', participant: BOB },
      emoji: '👍',
    });
    assert.deepEqual((sendCall(inGroup.socket)[1]['react'] as Fields)['key'], { remoteJid: TEST_GROUP_JID, id: 'ABCDEF', fromMe: false, participant: BOB });
  });

  it('given a delete for everyone, then Baileys sends { delete: key } (a REVOKE)', async () => {
    const own = { chatJid: ALICE, messageId: '3EB0MINE00000000000000' };
    const { outcome, socket } = await run('message.delete', 'wa.commands.DeleteMessage', { target: own, forEveryone: true });
    assert.deepEqual(sendCall(socket)[1], { delete: { remoteJid: ALICE, id: own.messageId, fromMe: true } });
    sentResult(outcome.result, ID, ALICE);
    const revoke = upserted(outcome.effects).message?.protocolMessage;
    assert.equal(revoke?.type, proto.Message.ProtocolMessage.Type.REVOKE);
    assert.equal(revoke?.key?.id, own.messageId);
  });

  it('given a delete for me, then an app-state deleteForMe patch is made, no result, and messages.delete is the effect', async () => {
    const { outcome, socket } = await run('message.delete', 'wa.commands.DeleteMessage', { target, forEveryone: false });
    const key = { remoteJid: ALICE, id: target.messageId, fromMe: false };
    assert.deepEqual(socket.callsTo('chatModify'), [[{ deleteForMe: { deleteMedia: false, key, timestamp: NOW_SECONDS } }, ALICE]]);
    assert.equal(socket.callsTo('sendMessage').length, 0);
    assert.equal(outcome.result, null);
    assert.deepEqual(outcome.effects, { 'messages.delete': { keys: [key] } });
  });

  it('given an edit, then Baileys sends { text, edit: key } and the carrier is a MESSAGE_EDIT', async () => {
    const own = { chatJid: ALICE, messageId: '3EB0MINE00000000000000', fromMe: true };
    const { outcome, socket } = await run('message.edit', 'wa.commands.EditMessage', { target: own, text: 'fixed' });
    assert.deepEqual(sendCall(socket)[1], { text: 'fixed', edit: { remoteJid: ALICE, id: own.messageId, fromMe: true } });
    sentResult(outcome.result, ID, ALICE);
    const edit = upserted(outcome.effects).message?.protocolMessage;
    assert.equal(edit?.type, proto.Message.ProtocolMessage.Type.MESSAGE_EDIT);
    assert.equal(edit?.editedMessage?.extendedTextMessage?.text, 'fixed');
  });

  it('given a pin and an unpin, then Baileys sends { pin, type, time } with the duration rounded up', async () => {
    const pinned = await run('message.pin', 'wa.commands.PinMessage', { target, durationSeconds: 100_000 });
    assert.deepEqual(sendCall(pinned.socket)[1], { pin: { remoteJid: ALICE, id: target.messageId, fromMe: false }, type: proto.PinInChat.Type.PIN_FOR_ALL, time: 604_800 });
    sentResult(pinned.outcome.result, ID, ALICE);
    assert.equal(upserted(pinned.outcome.effects).message?.pinInChatMessage?.type, proto.PinInChat.Type.PIN_FOR_ALL);

    const unpinned = await run('message.unpin', 'wa.commands.PinMessage', { target });
    assert.deepEqual(sendCall(unpinned.socket)[1], { pin: { remoteJid: ALICE, id: target.messageId, fromMe: false }, type: proto.PinInChat.Type.UNPIN_FOR_ALL });
  });

  it('pins for the shortest duration WhatsApp accepts that covers the one asked for', () => {
    assert.deepEqual([null, 1, 86_400, 86_401, 604_800, 604_801, 9_999_999].map(pinDuration), [86_400, 86_400, 86_400, 604_800, 604_800, 2_592_000, 2_592_000]);
  });

  it('given a star and an unstar, then socket.star is called and messages.update carries starred', async () => {
    for (const [type, starred] of [['message.star', true], ['message.unstar', false]] as const) {
      const { outcome, socket } = await run(type, 'wa.commands.StarMessage', { target });
      assert.deepEqual(socket.callsTo('star'), [[ALICE, [{ id: target.messageId, fromMe: false }], starred]]);
      assert.equal(outcome.result, null);
      assert.deepEqual(outcome.effects, { 'messages.update': [{ key: { remoteJid: ALICE, id: target.messageId, fromMe: false }, update: { starred } }] });
    }
  });
});

describe('execute message.forward', () => {
  const source = { chatJid: ALICE, messageId: '3EB0SOURCE000000000000', fromMe: false, participant: null };
  const loadMessage = async (target: MessageTargetValue) => (target.messageId === source.messageId ? storedMessage(target, 'forward me') : null);

  it('given recipients of whom one is not on WhatsApp, then the others get a copy and the result has one outcome each', async () => {
    const nobody = '0009990000@s.whatsapp.net';
    const { outcome, socket } = await run('message.forward', 'wa.commands.ForwardMessage', { source, to: [BOB, nobody] }, { deps: { loadMessage } });
    const calls = socket.callsTo('sendMessage');
    assert.deepEqual(calls.map((call) => call[0]), [BOB, nobody]);
    assert.deepEqual((calls[0]![1] as Fields)['forward'], storedMessage(source, 'forward me'));
    const bobId = outboundMessageId('cmd-0001', BOB);
    assert.deepEqual(outcome.result, {
      'wa.commands.ForwardResult': {
        results: [
          { to: BOB, messageId: bobId, timestamp: NOW, error: null },
          { to: nobody, messageId: null, timestamp: null, error: { code: 'NOT_FOUND', message: 'item-not-found', retriable: false, statusCode: 404, field: null } },
        ],
      },
    });
    const copy = upserted(outcome.effects);
    assert.equal(copy.key.id, bobId);
    assert.equal(copy.message?.extendedTextMessage?.text, 'forward me');
    assert.equal(copy.message?.extendedTextMessage?.contextInfo?.isForwarded, true);
  });

  it('given a source the connector does not know, then it fails MESSAGE_NOT_FOUND', async () => {
    const error = await run('message.forward', 'wa.commands.ForwardMessage', { source: { ...source, messageId: 'UNKNOWN1' }, to: [BOB] }, { deps: { loadMessage } }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.deepEqual([commandError(error).code, commandError(error).field], ['MESSAGE_NOT_FOUND', 'source']);
  });

  it('given no copy could be sent, then the command fails with the first error', async () => {
    const error = await run('message.forward', 'wa.commands.ForwardMessage', { source, to: ['0001110000@s.whatsapp.net'] }, { deps: { loadMessage } }).then(
      () => null,
      (e: unknown) => e,
    );
    assert.equal(commandError(error).statusCode, 404);
  });
});

describe('execute chat.*', () => {
  const lastMessageKey = { remoteJid: ALICE, id: '3EB0LAST00000000000000', fromMe: false };
  const lastMessages = [{ key: { remoteJid: ALICE, id: lastMessageKey.id, fromMe: false }, messageTimestamp: 1_700_000_000 }];
  const cases: [CommandType, AvroValue, unknown[], BaileysEventBatch][] = [
    ['chat.archive', { chatJid: ALICE, lastMessageKey, lastMessageAt: 1_700_000_000_000 }, [{ archive: true, lastMessages }, ALICE], { 'chats.update': [{ id: ALICE, archived: true }] }],
    ['chat.unarchive', { chatJid: ALICE }, [{ archive: false, lastMessages: [] }, ALICE], { 'chats.update': [{ id: ALICE, archived: false }] }],
    ['chat.pin', { chatJid: ALICE }, [{ pin: true }, ALICE], { 'chats.update': [{ id: ALICE, pinned: NOW }] }],
    ['chat.unpin', { chatJid: ALICE }, [{ pin: false }, ALICE], { 'chats.update': [{ id: ALICE, pinned: null }] }],
    ['chat.mute', { chatJid: ALICE, muteDurationSeconds: 3_600 }, [{ mute: NOW + 3_600_000 }, ALICE], { 'chats.update': [{ id: ALICE, muteEndTime: NOW + 3_600_000 }] }],
    ['chat.mute', { chatJid: ALICE }, [{ mute: -1 }, ALICE], { 'chats.update': [{ id: ALICE, muteEndTime: -1 }] }],
    ['chat.unmute', { chatJid: ALICE }, [{ mute: null }, ALICE], { 'chats.update': [{ id: ALICE, muteEndTime: null }] }],
    ['chat.read', { chatJid: ALICE, lastMessageKey, lastMessageAt: 1_700_000_000_000 }, [{ markRead: true, lastMessages }, ALICE], { 'chats.update': [{ id: ALICE, unreadCount: 0 }] }],
    ['chat.delete', { chatJid: ALICE, lastMessageKey, lastMessageAt: 1_700_000_000_000 }, [{ delete: true, lastMessages }, ALICE], { 'chats.delete': [ALICE] }],
  ];
  for (const [type, payload, call, effects] of cases) {
    it(`given ${type} ${JSON.stringify(payload).slice(0, 60)}, then chatModify(${JSON.stringify(call[0]).slice(0, 40)}) and its chats effect`, async () => {
      const { outcome, socket } = await run(type, 'wa.commands.ModifyChat', payload);
      assert.deepEqual(socket.callsTo('chatModify'), [call]);
      assert.equal(outcome.result, null);
      assert.deepEqual(outcome.effects, effects);
    });
  }

  it('given chat.read whose last message is theirs, then a read receipt is sent too', async () => {
    const { socket } = await run('chat.read', 'wa.commands.ModifyChat', { chatJid: ALICE, lastMessageKey, lastMessageAt: 1_700_000_000_000 });
    assert.deepEqual(socket.callsTo('readMessages'), [[[{ remoteJid: ALICE, id: lastMessageKey.id, fromMe: false }]]]);
  });
});

describe('execute contact.*', () => {
  it('given phones, then onWhatsApp is asked with their digits and each phone gets an answer as asked', async () => {
    const { outcome, socket } = await run('contact.check', 'wa.commands.CheckPhones', { phones: ['+1 555 000 0001', '0001234567'] });
    assert.deepEqual(socket.callsTo('onWhatsApp'), [['15550000001', '0001234567']]);
    assert.deepEqual(outcome.result, {
      'wa.commands.ContactCheckResult': {
        results: [
          { phone: '+1 555 000 0001', exists: true, jid: ALICE, lid: null },
          { phone: '0001234567', exists: false, jid: null, lid: null },
        ],
      },
    });
    assert.deepEqual(outcome.effects, {});
  });

  it('given WhatsApp also returns a LID, then it is reported', async () => {
    const socket = new RecordingSocket(ME, { onWhatsApp: async () => [{ jid: ALICE, exists: true, lid: '123456789@lid' }] });
    const { outcome } = await run('contact.check', 'wa.commands.CheckPhones', { phones: ['15550000001'] }, { socket });
    assert.deepEqual(outcome.result, { 'wa.commands.ContactCheckResult': { results: [{ phone: '15550000001', exists: true, jid: ALICE, lid: '123456789@lid' }] } });
  });

  it('given a block and an unblock, then updateBlockStatus is called and blocklist.update is the effect', async () => {
    for (const [type, action, change] of [['contact.block', 'block', 'add'], ['contact.unblock', 'unblock', 'remove']] as const) {
      const { outcome, socket } = await run(type, 'wa.commands.ContactTarget', { jid: BOB });
      assert.deepEqual(socket.callsTo('updateBlockStatus'), [[BOB, action]]);
      assert.equal(outcome.result, null);
      assert.deepEqual(outcome.effects, { 'blocklist.update': { blocklist: [BOB], type: change } });
    }
  });
});

describe('execute profile.* and business.profile.*', () => {
  it('given a contact, then picture and about are fetched into a Profile', async () => {
    const { outcome, socket } = await run('profile.fetch', 'wa.commands.FetchProfile', { jid: ALICE });
    assert.deepEqual(socket.callsTo('profilePictureUrl'), [[ALICE, 'image']]);
    assert.deepEqual(socket.callsTo('fetchStatus'), [[ALICE]]);
    assert.deepEqual(outcome.result, {
      'wa.account.Profile': {
        jid: ALICE,
        name: null,
        statusText: 'Available',
        statusSetAt: 1_700_000_000_000,
        pictureState: 'SET',
        pictureUrl: 'https://pps.whatsapp.net/v/t61/profile.jpg',
        pictureId: null,
      },
    });
  });

  it('given no jid, then the own profile is fetched; no picture (404) reads REMOVED, a hidden one (401) reads null', async () => {
    const missing = new RecordingSocket(ME, { profilePictureUrl: async () => Promise.reject(new Boom('item-not-found', { statusCode: 404 })) });
    const own = await run('profile.fetch', 'wa.commands.FetchProfile', {}, { socket: missing });
    assert.deepEqual(missing.callsTo('fetchStatus'), [[ME_BARE]]);
    const profile = (own.outcome.result as Record<string, Fields>)['wa.account.Profile']!;
    assert.deepEqual([profile['jid'], profile['pictureState'], profile['pictureUrl']], [ME_BARE, 'REMOVED', null]);

    const hidden = new RecordingSocket(ME, { profilePictureUrl: async () => Promise.reject(new Boom('not-authorized', { statusCode: 401 })) });
    const other = await run('profile.fetch', 'wa.commands.FetchProfile', { jid: BOB }, { socket: hidden });
    assert.equal((other.outcome.result as Record<string, Fields>)['wa.account.Profile']!['pictureState'], null);
  });

  it('given a name and about, then both are updated and the own contact update is the effect', async () => {
    const { outcome, socket } = await run('profile.update', 'wa.commands.UpdateProfile', { name: 'Support', statusText: 'Mon-Fri' });
    assert.deepEqual(socket.callsTo('updateProfileName'), [['Support']]);
    assert.deepEqual(socket.callsTo('updateProfileStatus'), [['Mon-Fri']]);
    assert.deepEqual(outcome.result, {
      'wa.account.Profile': { jid: ME_BARE, name: 'Support', statusText: 'Mon-Fri', statusSetAt: NOW, pictureState: null, pictureUrl: null, pictureId: null },
    });
    assert.deepEqual(outcome.effects, { 'contacts.update': [{ id: ME_BARE, notify: 'Support', status: 'Mon-Fri' }] });
  });

  it('given a picture from the store, then it is streamed to updateProfilePicture and the picture reads CHANGED', async () => {
    const { outcome, socket } = await run('profile.picture.update', 'wa.commands.UpdateProfilePicture', { mediaId: image.mediaId });
    assert.equal(socket.callsTo('updateProfilePicture')[0]![0], ME_BARE);
    assert.deepEqual(socket.uploads, [IMAGE_BYTES]);
    const profile = (outcome.result as Record<string, Fields>)['wa.account.Profile']!;
    assert.deepEqual([profile['jid'], profile['pictureState'], profile['pictureUrl']], [ME_BARE, 'CHANGED', 'https://pps.whatsapp.net/v/t61/profile.jpg']);
    assert.deepEqual(outcome.effects, { 'contacts.update': [{ id: ME_BARE, imgUrl: 'changed' }] });
  });

  it('given a business profile fetch, then WABusinessProfile becomes a BusinessProfile with its hours', async () => {
    const { outcome, socket } = await run('business.profile.fetch', 'wa.commands.FetchProfile', {});
    assert.deepEqual(socket.callsTo('getBusinessProfile'), [[ME_BARE]]);
    assert.deepEqual(outcome.result, {
      'wa.account.BusinessProfile': {
        jid: ME_BARE,
        description: 'We sell bikes',
        email: 'shop@example.com',
        websites: ['https://bikes.example.com'],
        address: '1 Main St',
        category: 'Shopping & Retail',
        businessHours: { timezone: 'Europe/Berlin', days: [{ dayOfWeek: 'mon', mode: 'specific_hours', openTimeMinutes: 540, closeTimeMinutes: 1080 }] },
      },
    });
  });

  it('given an account that is no business, then the fetch fails NOT_A_BUSINESS', async () => {
    const socket = new RecordingSocket(ME, { getBusinessProfile: async () => undefined });
    const error = await run('business.profile.fetch', 'wa.commands.FetchProfile', { jid: BOB }, { socket }).then(() => null, (e: unknown) => e);
    assert.equal(commandError(error).code, 'NOT_A_BUSINESS');
  });

  it('given a business profile update, then only the given fields are sent and the profile is read back', async () => {
    const { outcome, socket } = await run('business.profile.update', 'wa.commands.UpdateBusinessProfile', { description: 'Bikes', websites: ['https://bikes.example.com'] });
    assert.deepEqual(socket.callsTo('updateBussinesProfile'), [[{ description: 'Bikes', websites: ['https://bikes.example.com'] }]]);
    assert.ok(outcome.result && 'wa.account.BusinessProfile' in outcome.result);
  });
});

describe('execute group.*', () => {
  it('given a new group with a description, then it is created, described, and groups.upsert is the effect', async () => {
    const { outcome, socket } = await run('group.create', 'wa.commands.CreateGroup', { subject: 'Team', participants: [ALICE, BOB], description: 'Our team' });
    assert.deepEqual(socket.callsTo('groupCreate'), [['Team', [ALICE, BOB]]]);
    assert.deepEqual(socket.callsTo('groupUpdateDescription'), [[TEST_GROUP_JID, 'Our team']]);
    const meta = (outcome.result as Record<string, Fields>)['wa.account.GroupMetadata']!;
    assert.equal(meta['id'], TEST_GROUP_JID);
    assert.equal(meta['description'], 'Our team');
    assert.equal(meta['creation'], 1_700_000_000_000);
    assert.equal(meta['addressingMode'], 'PN');
    assert.deepEqual(meta['participants'], [
      { jid: ME, lid: null, phoneNumber: null, role: 'SUPERADMIN', name: null },
      { jid: ALICE, lid: null, phoneNumber: null, role: 'MEMBER', name: null },
      { jid: BOB, lid: null, phoneNumber: null, role: 'MEMBER', name: null },
    ]);
    const upsert = outcome.effects['groups.upsert'];
    assert.equal(upsert?.length, 1);
    assert.equal(upsert?.[0]?.desc, 'Our team');
  });

  it('given every group setting, then each has its Baileys call and groups.update carries the changes', async () => {
    const { outcome, socket } = await run('group.update', 'wa.commands.UpdateGroup', {
      groupJid: TEST_GROUP_JID,
      subject: 'Renamed',
      description: '',
      announce: true,
      restrict: false,
      memberAddMode: true,
      joinApprovalMode: true,
      ephemeralDurationSeconds: 604_800,
    });
    assert.deepEqual(
      socket.calls.map((call) => [call.method, ...call.args]),
      [
        ['groupUpdateSubject', TEST_GROUP_JID, 'Renamed'],
        ['groupUpdateDescription', TEST_GROUP_JID, undefined],
        ['groupSettingUpdate', TEST_GROUP_JID, 'announcement'],
        ['groupSettingUpdate', TEST_GROUP_JID, 'unlocked'],
        ['groupMemberAddMode', TEST_GROUP_JID, 'all_member_add'],
        ['groupJoinApprovalMode', TEST_GROUP_JID, 'on'],
        ['sendMessage', TEST_GROUP_JID, { disappearingMessagesInChat: 604_800 }],
        ['groupMetadata', TEST_GROUP_JID],
      ],
    );
    assert.deepEqual(outcome.effects, {
      'groups.update': [
        { id: TEST_GROUP_JID, author: ME_BARE, subject: 'Renamed', desc: '', announce: true, restrict: false, memberAddMode: true, joinApprovalMode: true, ephemeralDuration: 604_800 },
      ],
    });
    assert.equal((outcome.result as Record<string, Fields>)['wa.account.GroupMetadata']!['id'], TEST_GROUP_JID);
  });

  it('given a driver without groupMemberAddMode, then that setting fails UNSUPPORTED', async () => {
    const socket = new RecordingSocket(ME, { groupMemberAddMode: undefined });
    const error = await run('group.update', 'wa.commands.UpdateGroup', { groupJid: TEST_GROUP_JID, memberAddMode: true }, { socket }).then(() => null, (e: unknown) => e);
    assert.equal(commandError(error).code, 'UNSUPPORTED');
  });

  it('given a group left, then groupLeave and a participants removal of this account', async () => {
    const { outcome, socket } = await run('group.leave', 'wa.commands.GroupTarget', { groupJid: TEST_GROUP_JID });
    assert.deepEqual(socket.callsTo('groupLeave'), [[TEST_GROUP_JID]]);
    assert.equal(outcome.result, null);
    assert.deepEqual(outcome.effects, { 'group-participants.update': { id: TEST_GROUP_JID, author: ME_BARE, participants: [{ id: ME_BARE }], action: 'remove' } });
  });

  for (const action of ['add', 'remove', 'promote', 'demote'] as const) {
    it(`given group.participants.${action}, then one outcome per member and only the successful ones in the effect`, async () => {
      const nobody = '0001234567@s.whatsapp.net';
      const { outcome, socket } = await run(`group.participants.${action}`, 'wa.commands.ChangeGroupParticipants', { groupJid: TEST_GROUP_JID, participants: [ALICE, nobody] });
      assert.deepEqual(socket.callsTo('groupParticipantsUpdate'), [[TEST_GROUP_JID, [ALICE, nobody], action]]);
      assert.deepEqual(outcome.result, {
        'wa.commands.GroupParticipantsResult': {
          groupJid: TEST_GROUP_JID,
          results: [
            { jid: ALICE, statusCode: 200, error: null },
            { jid: nobody, statusCode: 404, error: 'not on WhatsApp' },
          ],
        },
      });
      assert.deepEqual(outcome.effects, { 'group-participants.update': { id: TEST_GROUP_JID, author: ME_BARE, participants: [{ id: ALICE }], action } });
    });
  }

  it('given invite get and revoke, then the code and link are the result; a revoke changes the group', async () => {
    const got = await run('group.invite.get', 'wa.commands.GroupTarget', { groupJid: TEST_GROUP_JID });
    assert.deepEqual(got.outcome.result, { 'wa.commands.InviteLinkResult': { groupJid: TEST_GROUP_JID, code: 'GZ3xTq4LdKq1', url: 'https://chat.whatsapp.com/GZ3xTq4LdKq1' } });
    assert.deepEqual(got.outcome.effects, {});
    const revoked = await run('group.invite.revoke', 'wa.commands.GroupTarget', { groupJid: TEST_GROUP_JID });
    assert.deepEqual(revoked.socket.callsTo('groupRevokeInvite'), [[TEST_GROUP_JID]]);
    assert.deepEqual(revoked.outcome.effects, { 'groups.update': [{ id: TEST_GROUP_JID, inviteCode: 'Hn8pQw2ZrTe5' }] });
  });
});

describe('execute story.*', () => {
  it('given a text story with colours, then it goes to status@broadcast for its audience and this account', async () => {
    const { outcome, socket } = await run('story.post', 'wa.commands.PostStory', {
      content: { 'wa.conversation.TextContent': { text: 'Open today', backgroundArgb: 0xff25d366, font: 2 } },
      audienceJids: [ALICE, BOB],
    });
    const [jid, content, options] = sendCall(socket);
    assert.equal(jid, STATUS);
    assert.deepEqual(content, { text: 'Open today' });
    assert.deepEqual([options['statusJidList'], options['broadcast'], options['backgroundColor'], options['font']], [[ALICE, BOB, ME_BARE], true, '#FF25D366', 2]);
    sentResult(outcome.result, ID, STATUS);
    const story = upserted(outcome.effects);
    assert.equal(story.key.remoteJid, STATUS);
    assert.equal(story.message?.extendedTextMessage?.backgroundArgb, 0xff25d366);
  });

  it('given an image story without audience, then the runtime audience is used; without one it fails naming audienceJids', async () => {
    const content = { 'wa.conversation.ImageContent': { media: media(), caption: 'new stock' } };
    const { socket } = await run('story.post', 'wa.commands.PostStory', { content }, { deps: { statusAudience: async () => [BOB] } });
    assert.deepEqual(sendCall(socket)[2]['statusJidList'], [BOB, ME_BARE]);
    assert.deepEqual(socket.uploads, [IMAGE_BYTES]);
    const error = await run('story.post', 'wa.commands.PostStory', { content }).then(() => null, (e: unknown) => e);
    assert.deepEqual([commandError(error).code, commandError(error).field], ['VALIDATION_FAILED', 'audienceJids']);
  });

  it('given a story deleted, then a revoke goes to status@broadcast and is the effect', async () => {
    const { outcome, socket } = await run('story.delete', 'wa.commands.DeleteStory', { storyId: '3EB0STORY0000000000000', audienceJids: [ALICE] });
    const [jid, content, options] = sendCall(socket);
    assert.equal(jid, STATUS);
    assert.deepEqual(content, { delete: { remoteJid: STATUS, id: '3EB0STORY0000000000000', fromMe: true } });
    assert.deepEqual(options['statusJidList'], [ALICE, ME_BARE]);
    assert.equal(outcome.result, null);
    assert.equal(upserted(outcome.effects).message?.protocolMessage?.key?.id, '3EB0STORY0000000000000');
  });
});

describe('execute label.* and newsletter.create', () => {
  it('given a new label, then addLabel with an id derived from the commandId, a Label result and labels.edit', async () => {
    const id = labelIdFor('cmd-0001');
    assert.match(id, /^\d+$/);
    const { outcome, socket } = await run('label.create', 'wa.commands.CreateLabel', { name: 'VIP', color: 3 });
    assert.deepEqual(socket.callsTo('addLabel'), [['', { id, name: 'VIP', color: 3, deleted: false }]]);
    assert.deepEqual(outcome.result, { 'wa.account.Label': { labelId: id, name: 'VIP', color: 3, predefinedId: null, deleted: false } });
    assert.deepEqual(outcome.effects, { 'labels.edit': { id, name: 'VIP', color: 3, deleted: false } });
  });

  it('given a label deleted, then addLabel marks it deleted', async () => {
    const { outcome, socket } = await run('label.delete', 'wa.commands.LabelTarget', { labelId: '7' });
    assert.deepEqual(socket.callsTo('addLabel'), [['', { id: '7', deleted: true }]]);
    assert.equal(outcome.result, null);
    assert.deepEqual(outcome.effects, { 'labels.edit': { id: '7', name: '', color: 0, deleted: true } });
  });

  it('given a label attached and detached, then addChatLabel / removeChatLabel and labels.association', async () => {
    for (const [type, method, change] of [['label.chat.add', 'addChatLabel', 'add'], ['label.chat.remove', 'removeChatLabel', 'remove']] as const) {
      const { outcome, socket } = await run(type, 'wa.commands.LabelChat', { labelId: '7', chatJid: ALICE });
      assert.deepEqual(socket.callsTo(method), [[ALICE, '7']]);
      assert.deepEqual(outcome.effects, { 'labels.association': { association: { type: 'label_jid', chatId: ALICE, labelId: '7' }, type: change } });
    }
  });

  it('given a newsletter with a picture, then it is created, the picture uploaded, and its metadata is the result', async () => {
    const { outcome, socket } = await run('newsletter.create', 'wa.commands.CreateNewsletter', { name: 'Bike news', description: 'Weekly', pictureMediaId: image.mediaId });
    assert.deepEqual(socket.callsTo('newsletterCreate'), [['Bike news', 'Weekly']]);
    assert.equal(socket.callsTo('newsletterUpdatePicture')[0]![0], TEST_NEWSLETTER_JID);
    assert.deepEqual(socket.uploads, [IMAGE_BYTES]);
    assert.deepEqual(outcome.result, {
      'wa.account.NewsletterMetadata': {
        jid: TEST_NEWSLETTER_JID,
        name: 'Bike news',
        description: 'Weekly',
        inviteCode: '0029VaBcDeF',
        pictureUrl: null,
        subscriberCount: 0,
        verified: false,
        state: null,
        viewerRole: 'OWNER',
        muted: false,
        createdAt: 1_700_000_000_000,
      },
    });
  });
});

describe('execute: every type of the command table', () => {
  const samples = samplePayloads();

  it('given each socket type with a valid sample, then it executes and its result encodes as a SUCCEEDED CommandResult', async () => {
    const loadMessage = async (target: MessageTargetValue) => storedMessage(target, 'stored');
    for (const type of Object.keys(COMMAND_TYPES) as CommandType[]) {
      if (COMMAND_TYPES[type].kind !== 'socket') continue;
      const [name, payload] = type === 'profile.picture.update' ? (['wa.commands.UpdateProfilePicture', { mediaId: image.mediaId }] as const) : samples[type];
      const { socket } = await run(type, name, payload, { deps: { loadMessage } });
      assert.ok(socket.calls.length > 0, `${type} made a socket call`);
    }
  });

  it('given an account lifecycle type, then execute refuses it: the runtime executes those', async () => {
    for (const type of Object.keys(COMMAND_TYPES) as CommandType[]) {
      if (COMMAND_TYPES[type].kind !== 'lifecycle') continue;
      const socket = new RecordingSocket(ME);
      const [name, payload] = samples[type];
      await assert.rejects(
        execute(makeCommand(type, name, payload), { socket: socket.port, media: store, accountId: 'acc-1', meJid: ME, now: () => NOW }),
        (error: unknown) => error instanceof WaError && error.code === 'INTERNAL',
        type,
      );
      assert.equal(socket.calls.length, 0);
    }
  });

  it('given a payload that does not match the type, then execute refuses it with INVALID_PAYLOAD', async () => {
    const socket = new RecordingSocket(ME);
    const command = makeCommand('message.send', 'wa.commands.ReactToMessage', samples['message.react'][1]);
    const error = await execute(command, { socket: socket.port, media: store, accountId: 'acc-1', meJid: ME, now: () => NOW }).then(() => null, (e: unknown) => e);
    assert.deepEqual([commandError(error).code, commandError(error).field], ['INVALID_PAYLOAD', 'payload']);
  });
});
