// Real Baileys payloads for tests: `proto.WebMessageInfo` objects built with `fromObject` (so
// Longs, Buffers and proto defaults are exactly what Baileys hands out) and event-map batches.
import { createHash } from 'node:crypto';
import { proto, type BaileysEventMap, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';

/** This account: phone-number JID and LID. */
export const ME = { pn: '919000000001@s.whatsapp.net', lid: '100000000000001@lid', device: '919000000001:12@s.whatsapp.net' } as const;
/** A contact known by both forms. */
export const PEER = { pn: '919876543210@s.whatsapp.net', lid: '200000000000002@lid' } as const;
/** A second contact. */
export const OTHER = { pn: '447700900123@s.whatsapp.net', lid: '300000000000003@lid' } as const;
export const GROUP = '120363000000000001@g.us';
export const STATUS = 'status@broadcast';
export const NEWSLETTER = '120363111111111111@newsletter';

/** Seconds since the epoch used as message time by default (2024-11-19T04:20:00Z). */
export const T0 = 1_731_990_000;

/** Where a built message sits and who sent it. */
export interface MessageOptions {
  chat?: string;
  id?: string;
  fromMe?: boolean;
  participant?: string;
  /** Baileys 7 key extras, not part of the proto key. */
  remoteJidAlt?: string;
  participantAlt?: string;
  addressingMode?: 'pn' | 'lid';
  serverId?: string;
  /** Seconds. */
  timestamp?: number;
  pushName?: string;
  status?: proto.WebMessageInfo.Status;
  /** Any other WebMessageInfo field (messageStubType, reactions, userReceipt...). */
  info?: Omit<proto.IWebMessageInfo, 'key' | 'message'>;
}

let counter = 0;

/** A fresh WhatsApp-looking message id. */
export function messageId(): string {
  counter += 1;
  return `3EB0${counter.toString(16).toUpperCase().padStart(16, '0')}`;
}

/** A `WAMessage` as Baileys emits it: `proto.WebMessageInfo.fromObject` plus the Baileys 7 key extras. */
export function waMessage(content: proto.IMessage | null, options: MessageOptions = {}): WAMessage {
  const chat = options.chat ?? PEER.pn;
  const key: proto.IMessageKey = {
    remoteJid: chat,
    id: options.id ?? messageId(),
    fromMe: options.fromMe ?? false,
    ...(options.participant ? { participant: options.participant } : {}),
  };
  const info = proto.WebMessageInfo.fromObject({
    ...(options.info ?? {}),
    key,
    ...(content === null ? {} : { message: content }),
    messageTimestamp: options.timestamp ?? T0,
    ...(options.pushName ? { pushName: options.pushName } : {}),
    ...(options.status !== undefined ? { status: options.status } : {}),
  }) as WAMessage;
  const extras: Partial<WAMessageKey> = {};
  if (options.remoteJidAlt) extras.remoteJidAlt = options.remoteJidAlt;
  if (options.participantAlt) extras.participantAlt = options.participantAlt;
  if (options.addressingMode) extras.addressingMode = options.addressingMode;
  if (options.serverId) extras.server_id = options.serverId;
  Object.assign(info.key, extras);
  return info;
}

/** A proto message content built through `proto.Message.fromObject` (Longs and Buffers as decoded). */
export function content(init: Record<string, unknown>): proto.IMessage {
  return proto.Message.fromObject(init);
}

/** Distinct, recognisable secret and hash bytes for one media attachment. */
export interface MediaSecrets {
  mediaKey: Buffer;
  fileSha256: Buffer;
  fileEncSha256: Buffer;
  directPath: string;
  url: string;
  mediaKeyTimestamp: number;
}

/** Media download coordinates derived from a seed, so tests can look for the key bytes in output. */
export function mediaSecrets(seed: string): MediaSecrets {
  const derive = (label: string): Buffer => createHash('sha256').update(`${label}:${seed}`).digest();
  return {
    mediaKey: derive('media-key'),
    fileSha256: derive('plain'),
    fileEncSha256: derive('enc'),
    directPath: `/v/t62.7118-24/${seed}.enc?ccb=11-4`,
    url: `https://mmg.whatsapp.net/v/t62.7118-24/${seed}.enc`,
    mediaKeyTimestamp: T0 - 10,
  };
}

/** The media fields shared by image / video / audio / document / sticker protos. */
export function mediaFields(seed: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const s = mediaSecrets(seed);
  return {
    url: s.url,
    fileSha256: s.fileSha256,
    fileEncSha256: s.fileEncSha256,
    mediaKey: s.mediaKey,
    directPath: s.directPath,
    mediaKeyTimestamp: s.mediaKeyTimestamp,
    fileLength: 48_213,
    ...extra,
  };
}

/** Builders of every content type the translator models, as proto `Message` objects. */
export const contents = {
  text: (text: string) => content({ conversation: text }),
  extendedText: (text: string, extra: Record<string, unknown> = {}) => content({ extendedTextMessage: { text, ...extra } }),
  linkPreview: (text: string, url: string, seed: string) => {
    const s = mediaSecrets(seed);
    return content({
      extendedTextMessage: {
        text,
        matchedText: url,
        title: 'Example Domain',
        description: 'This domain is for use in examples.',
        jpegThumbnail: Buffer.from('ffd8ffe0', 'hex'),
        thumbnailDirectPath: s.directPath,
        thumbnailSha256: s.fileSha256,
        thumbnailEncSha256: s.fileEncSha256,
        mediaKey: s.mediaKey,
        mediaKeyTimestamp: s.mediaKeyTimestamp,
        thumbnailWidth: 1200,
        thumbnailHeight: 630,
        previewType: proto.Message.ExtendedTextMessage.PreviewType.NONE,
      },
    });
  },
  image: (seed: string, caption?: string, extra: Record<string, unknown> = {}) =>
    content({ imageMessage: mediaFields(seed, { mimetype: 'image/jpeg', width: 1280, height: 960, jpegThumbnail: Buffer.from('ffd8ffdb', 'hex'), ...(caption ? { caption } : {}), ...extra }) }),
  video: (seed: string, caption?: string) =>
    content({ videoMessage: mediaFields(seed, { mimetype: 'video/mp4', seconds: 12, width: 720, height: 1280, ...(caption ? { caption } : {}) }) }),
  gif: (seed: string) =>
    content({ videoMessage: mediaFields(seed, { mimetype: 'video/mp4', seconds: 3, gifPlayback: true, gifAttribution: proto.Message.VideoMessage.Attribution.GIPHY }) }),
  ptv: (seed: string) => content({ ptvMessage: mediaFields(seed, { mimetype: 'video/mp4', seconds: 9, width: 480, height: 480 }) }),
  audio: (seed: string) => content({ audioMessage: mediaFields(seed, { mimetype: 'audio/mpeg', seconds: 184 }) }),
  voice: (seed: string) =>
    content({ audioMessage: mediaFields(seed, { mimetype: 'audio/ogg; codecs=opus', seconds: 7, ptt: true, waveform: Buffer.from([0, 10, 50, 99, 20]) }) }),
  document: (seed: string, fileName: string) =>
    content({ documentMessage: mediaFields(seed, { mimetype: 'application/pdf', fileName, title: fileName, pageCount: 3 }) }),
  documentWithCaption: (seed: string, fileName: string, caption: string) =>
    content({ documentWithCaptionMessage: { message: { documentMessage: mediaFields(seed, { mimetype: 'application/pdf', fileName, caption }) } } }),
  sticker: (seed: string) => content({ stickerMessage: mediaFields(seed, { mimetype: 'image/webp', width: 512, height: 512, isAnimated: true }) }),
  location: () =>
    content({ locationMessage: { degreesLatitude: 48.8584, degreesLongitude: 2.2945, name: 'Eiffel Tower', address: 'Champ de Mars, Paris', url: 'https://maps.example/eiffel' } }),
  liveLocation: () =>
    content({ liveLocationMessage: { degreesLatitude: 51.5007, degreesLongitude: -0.1246, accuracyInMeters: 12, speedInMps: 1.5, caption: 'on my way', sequenceNumber: 3, timeOffset: 60 } }),
  contact: (name: string, phone: string) =>
    content({ contactMessage: { displayName: name, vcard: `BEGIN:VCARD\nVERSION:3.0\nFN:${name}\nTEL;type=CELL;waid=${phone}:+${phone}\nEND:VCARD` } }),
  contacts: (cards: Array<[name: string, phone: string]>) =>
    content({
      contactsArrayMessage: {
        displayName: `${cards.length} contacts`,
        contacts: cards.map(([name, phone]) => ({ displayName: name, vcard: `BEGIN:VCARD\nFN:${name}\nTEL;waid=${phone}:+${phone}\nEND:VCARD` })),
      },
    }),
  poll: (version: 1 | 2 | 3, name: string, options: string[], selectableCount: number, messageSecret: Buffer) => {
    const field = version === 1 ? 'pollCreationMessage' : version === 2 ? 'pollCreationMessageV2' : 'pollCreationMessageV3';
    return content({
      [field]: { name, options: options.map((optionName) => ({ optionName })), selectableOptionsCount: selectableCount },
      messageContextInfo: { messageSecret },
    });
  },
  pollUpdate: (pollKey: proto.IMessageKey, encPayload: Buffer, senderTimestampMs: number) =>
    content({ pollUpdateMessage: { pollCreationMessageKey: pollKey, vote: { encPayload, encIv: Buffer.alloc(12, 7) }, senderTimestampMs } }),
  reaction: (target: proto.IMessageKey, text: string, senderTimestampMs: number) => content({ reactionMessage: { key: target, text, senderTimestampMs } }),
  edit: (target: proto.IMessageKey, newText: string, timestampMs: number) =>
    content({
      editedMessage: {
        message: {
          protocolMessage: { key: target, type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT, editedMessage: { conversation: newText }, timestampMs },
        },
      },
    }),
  revoke: (target: proto.IMessageKey) => content({ protocolMessage: { key: target, type: proto.Message.ProtocolMessage.Type.REVOKE } }),
  ephemeralSetting: (seconds: number) => content({ protocolMessage: { type: proto.Message.ProtocolMessage.Type.EPHEMERAL_SETTING, ephemeralExpiration: seconds } }),
  historySyncNotification: () =>
    content({
      protocolMessage: {
        type: proto.Message.ProtocolMessage.Type.HISTORY_SYNC_NOTIFICATION,
        historySyncNotification: { fileSha256: Buffer.alloc(32, 1), mediaKey: Buffer.alloc(32, 2), directPath: '/hist', syncType: 0, chunkOrder: 1 },
      },
    }),
  pin: (target: proto.IMessageKey, pinned: boolean, senderTimestampMs: number, durationSeconds?: number) =>
    content({
      pinInChatMessage: {
        key: target,
        type: pinned ? proto.Message.PinInChatMessage.Type.PIN_FOR_ALL : proto.Message.PinInChatMessage.Type.UNPIN_FOR_ALL,
        senderTimestampMs,
      },
      ...(durationSeconds ? { messageContextInfo: { messageAddOnDurationInSecs: durationSeconds } } : {}),
    }),
  ephemeral: (inner: proto.IMessage) => content({ ephemeralMessage: { message: inner } }),
  viewOnce: (inner: proto.IMessage, version: 1 | 2 = 2) => content({ [version === 1 ? 'viewOnceMessage' : 'viewOnceMessageV2']: { message: inner } }),
  reply: (text: string, quoted: { id: string; participant: string; message: proto.IMessage }, mentions: string[]) =>
    content({
      extendedTextMessage: {
        text,
        contextInfo: { stanzaId: quoted.id, participant: quoted.participant, quotedMessage: quoted.message, mentionedJid: mentions, isForwarded: true, forwardingScore: 2, expiration: 86_400 },
      },
    }),
  buttons: () =>
    content({
      buttonsMessage: {
        contentText: 'Pick one',
        footerText: 'footer',
        text: 'Header',
        headerType: proto.Message.ButtonsMessage.HeaderType.TEXT,
        buttons: [
          { buttonId: 'yes', buttonText: { displayText: 'Yes' }, type: proto.Message.ButtonsMessage.Button.Type.RESPONSE },
          { buttonId: 'no', buttonText: { displayText: 'No' }, type: proto.Message.ButtonsMessage.Button.Type.RESPONSE },
        ],
      },
    }),
  template: () =>
    content({
      templateMessage: {
        hydratedTemplate: {
          hydratedContentText: 'Your order shipped',
          hydratedFooterText: 'Shop',
          hydratedTitleText: 'Update',
          hydratedButtons: [
            { index: 0, urlButton: { displayText: 'Track', url: 'https://shop.example/track' } },
            { index: 1, callButton: { displayText: 'Call us', phoneNumber: '+15550100' } },
            { index: 2, quickReplyButton: { displayText: 'Thanks', id: 'thanks' } },
          ],
        },
      },
    }),
  list: () =>
    content({
      listMessage: {
        title: 'Menu',
        description: 'Choose a dish',
        buttonText: 'Open menu',
        footerText: 'Bon appétit',
        listType: proto.Message.ListMessage.ListType.SINGLE_SELECT,
        sections: [{ title: 'Mains', rows: [{ title: 'Pasta', description: 'with basil', rowId: 'pasta' }] }],
      },
    }),
  nativeFlow: () =>
    content({
      interactiveMessage: {
        header: { title: 'Offer', hasMediaAttachment: false },
        body: { text: 'Copy the code' },
        footer: { text: 'limited' },
        nativeFlowMessage: {
          buttons: [
            { name: 'cta_copy', buttonParamsJson: JSON.stringify({ display_text: 'Copy', copy_code: 'SAVE10' }) },
            { name: 'cta_url', buttonParamsJson: JSON.stringify({ display_text: 'Visit', url: 'https://shop.example' }) },
          ],
        },
      },
    }),
  buttonsResponse: () => content({ buttonsResponseMessage: { selectedButtonId: 'yes', selectedDisplayText: 'Yes', type: 1 } }),
  templateReply: () => content({ templateButtonReplyMessage: { selectedId: 'thanks', selectedDisplayText: 'Thanks', selectedIndex: 2 } }),
  listResponse: () => content({ listResponseMessage: { title: 'Menu', listType: 1, singleSelectReply: { selectedRowId: 'pasta' }, description: 'with basil' } }),
  interactiveResponse: () =>
    content({ interactiveResponseMessage: { body: { text: 'Booked' }, nativeFlowResponseMessage: { name: 'booking', paramsJson: '{"slot":"10:00"}', version: 3 } } }),
  groupInvite: () =>
    content({ groupInviteMessage: { groupJid: GROUP, inviteCode: 'AbCdEfGh', inviteExpiration: T0 + 259_200, groupName: 'Family', caption: 'join us' } }),
  product: (seed: string) =>
    content({
      productMessage: {
        product: { productId: 'p-1', title: 'Mug', description: 'Blue mug', currencyCode: 'EUR', priceAmount1000: 12_500, retailerId: 'MUG-1', productImage: mediaFields(seed, { mimetype: 'image/jpeg' }) },
        businessOwnerJid: OTHER.pn,
        body: 'Look',
        footer: 'shop',
      },
    }),
  order: (token: string) =>
    content({
      orderMessage: {
        orderId: 'o-1',
        itemCount: 2,
        status: proto.Message.OrderMessage.OrderStatus.INQUIRY,
        surface: proto.Message.OrderMessage.OrderSurface.CATALOG,
        message: 'please',
        orderTitle: 'Mugs',
        sellerJid: OTHER.pn,
        token,
        totalAmount1000: 25_000,
        totalCurrencyCode: 'EUR',
      },
    }),
  event: (messageSecret: Buffer) =>
    content({
      eventMessage: {
        name: 'Launch',
        description: 'Party',
        location: { degreesLatitude: 1.5, degreesLongitude: 2.5, name: 'Hall' },
        startTime: T0 + 3600,
        endTime: T0 + 7200,
        extraGuestsAllowed: true,
      },
      messageContextInfo: { messageSecret },
    }),
  eventResponse: (eventKey: proto.IMessageKey) => content({ encEventResponseMessage: { eventCreationMessageKey: eventKey, encPayload: Buffer.alloc(20, 3), encIv: Buffer.alloc(12, 4) } }),
  album: () => content({ albumMessage: { expectedImageCount: 2, expectedVideoCount: 1 } }),
  albumChild: (seed: string, parent: proto.IMessageKey) =>
    content({
      imageMessage: mediaFields(seed, { mimetype: 'image/jpeg' }),
      messageContextInfo: { messageAssociation: { associationType: proto.MessageAssociation.AssociationType.MEDIA_ALBUM, parentMessageKey: parent } },
    }),
};

/** A `messages.upsert` batch. */
export function upsertBatch(messages: WAMessage[], type: 'notify' | 'append' = 'notify', requestId?: string): Partial<BaileysEventMap> {
  return { 'messages.upsert': { messages, type, ...(requestId ? { requestId } : {}) } };
}

/** A group participant stub message, as Baileys 7 builds it from a `w:gp2` notification. */
export function participantStub(
  stubType: proto.WebMessageInfo.StubType,
  participants: Array<{ id: string; phoneNumber?: string; lid?: string; admin?: 'admin' | 'superadmin' | null }>,
  author: string,
  options: MessageOptions = {},
): WAMessage {
  return waMessage(null, {
    chat: GROUP,
    participant: author,
    ...options,
    info: { messageStubType: stubType, messageStubParameters: participants.map((p) => JSON.stringify(p)), ...(options.info ?? {}) },
  });
}

/** A history-sync chat (`proto.Conversation`) as Baileys passes it in `messaging-history.set`. */
export function historyChat(init: proto.IConversation): proto.IConversation {
  return proto.Conversation.fromObject(init);
}
