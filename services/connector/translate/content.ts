import { proto } from '@whiskeysockets/baileys';
import type { AvroValue } from '../events/index.js';
import { assertNever } from './assertNever.js';
import { bareJid, normaliseOptional } from './jids.js';
import { mediaRef, type MediaOwner, type MediaProto } from './media.js';
import { messageKeyRecord } from './messageKey.js';
import type { TranslateContext } from './TranslateContext.js';
import { unwrapMessage } from './unwrap.js';
import { bool, bytes, enumName, millis, num, sanitizedJson, secondsToMillis, str, toInt, toNumber } from './values.js';

/** The content fields the schema models, in the order they are looked for. */
const CONTENT_FIELDS = [
  'conversation',
  'extendedTextMessage',
  'imageMessage',
  'videoMessage',
  'ptvMessage',
  'audioMessage',
  'documentMessage',
  'stickerMessage',
  'locationMessage',
  'liveLocationMessage',
  'contactMessage',
  'contactsArrayMessage',
  'pollCreationMessage',
  'pollCreationMessageV2',
  'pollCreationMessageV3',
  'pollCreationMessageV5',
  'pollUpdateMessage',
  'reactionMessage',
  'buttonsMessage',
  'templateMessage',
  'listMessage',
  'interactiveMessage',
  'buttonsResponseMessage',
  'templateButtonReplyMessage',
  'listResponseMessage',
  'interactiveResponseMessage',
  'groupInviteMessage',
  'productMessage',
  'orderMessage',
  'eventMessage',
  'encEventResponseMessage',
  'albumMessage',
] as const;

/** A content field the schema models. */
export type ContentField = (typeof CONTENT_FIELDS)[number];

// Fields that sit beside the content and are not content themselves.
const NOT_CONTENT: ReadonlySet<string> = new Set(['messageContextInfo', 'senderKeyDistributionMessage', 'fastRatchetKeySenderKeyDistributionMessage']);

/** The modelled content field a message carries, if any. */
export function contentFieldOf(content: proto.IMessage | null): ContentField | null {
  if (content === null) return null;
  const record = content as Record<string, unknown>;
  return CONTENT_FIELDS.find((field) => record[field] !== null && record[field] !== undefined) ?? null;
}

/** The proto field name of whatever content a message carries (modelled or not); null when it has none. */
export function anyContentField(content: proto.IMessage | null): string | null {
  if (content === null) return null;
  const record = content as Record<string, unknown>;
  return (
    Object.keys(record).find((field) => !NOT_CONTENT.has(field) && record[field] !== null && record[field] !== undefined && !isEmptyList(record[field])) ?? null
  );
}

const isEmptyList = (value: unknown): boolean => Array.isArray(value) && value.length === 0;

/** `wa.conversation.ContentKind` of a modelled content field. */
export function kindOf(field: ContentField, content: proto.IMessage): string {
  switch (field) {
    case 'conversation':
    case 'extendedTextMessage':
      return 'TEXT';
    case 'imageMessage':
      return 'IMAGE';
    case 'videoMessage':
      return content.videoMessage?.gifPlayback === true ? 'GIF' : 'VIDEO';
    case 'ptvMessage':
      return 'PTV';
    case 'audioMessage':
      return content.audioMessage?.ptt === true ? 'VOICE' : 'AUDIO';
    case 'documentMessage':
      return 'DOCUMENT';
    case 'stickerMessage':
      return 'STICKER';
    case 'locationMessage':
      return 'LOCATION';
    case 'liveLocationMessage':
      return 'LIVE_LOCATION';
    case 'contactMessage':
      return 'CONTACT';
    case 'contactsArrayMessage':
      return 'CONTACTS';
    case 'pollCreationMessage':
    case 'pollCreationMessageV2':
    case 'pollCreationMessageV3':
    case 'pollCreationMessageV5':
      return 'POLL';
    case 'pollUpdateMessage':
      return 'POLL_VOTE';
    case 'reactionMessage':
      return 'REACTION';
    case 'buttonsMessage':
    case 'templateMessage':
    case 'listMessage':
    case 'interactiveMessage':
      return 'INTERACTIVE';
    case 'buttonsResponseMessage':
    case 'templateButtonReplyMessage':
    case 'listResponseMessage':
    case 'interactiveResponseMessage':
      return 'INTERACTIVE_RESPONSE';
    case 'groupInviteMessage':
      return 'GROUP_INVITE';
    case 'productMessage':
      return 'PRODUCT';
    case 'orderMessage':
      return 'ORDER';
    case 'eventMessage':
      return 'EVENT';
    case 'encEventResponseMessage':
      return 'EVENT_RESPONSE';
    case 'albumMessage':
      return 'ALBUM';
    default:
      return assertNever(field);
  }
}

/** A translated content: its kind, the wrapped `content` union value and the proto contextInfo it carried. */
export interface TranslatedContent {
  kind: string;
  /** Wrapped union value, e.g. `{ 'wa.conversation.TextContent': {...} }`. */
  content: AvroValue;
  contextInfo: proto.IContextInfo | null;
  /** True when the content itself is flagged view-once. */
  viewOnce: boolean;
}

/** Translates a message content (wrappers already removed); anything unmodelled becomes UnsupportedContent. */
export function translateContent(content: proto.IMessage | null, owner: MediaOwner, ctx: TranslateContext, wrappers: readonly string[]): TranslatedContent {
  const field = contentFieldOf(content);
  if (field === null || content === null) {
    const other = anyContentField(content);
    const raw = other === null || content === null ? null : (content as Record<string, unknown>)[other];
    return {
      kind: 'UNSUPPORTED',
      content: wrap('UnsupportedContent', { messageType: other ?? 'none', rawJson: sanitizedJson(raw) }),
      contextInfo: contextInfoOf(raw),
      viewOnce: false,
    };
  }
  const raw = content[field];
  return {
    kind: kindOf(field, content),
    content: buildContent(field, content, owner, ctx, wrappers),
    contextInfo: contextInfoOf(raw),
    viewOnce: typeof raw === 'object' && raw !== null && (raw as { viewOnce?: boolean | null }).viewOnce === true,
  };
}

function contextInfoOf(raw: unknown): proto.IContextInfo | null {
  if (typeof raw !== 'object' || raw === null) return null;
  return (raw as { contextInfo?: proto.IContextInfo | null }).contextInfo ?? null;
}

const wrap = (record: string, value: AvroValue): AvroValue => ({ [`wa.conversation.${record}`]: value });

function buildContent(field: ContentField, content: proto.IMessage, owner: MediaOwner, ctx: TranslateContext, wrappers: readonly string[]): AvroValue {
  const media = (m: MediaProto, extra: Partial<Record<string, unknown>> = {}): AvroValue => mediaRef(m, owner, ctx, extra);
  switch (field) {
    case 'conversation':
      return wrap('TextContent', { text: content.conversation ?? '' });
    case 'extendedTextMessage':
      return wrap('TextContent', extendedText(content.extendedTextMessage ?? {}, owner, ctx));
    case 'imageMessage': {
      const m = content.imageMessage ?? {};
      return wrap('ImageContent', { media: media(m), caption: str(m.caption) });
    }
    case 'videoMessage': {
      const m = content.videoMessage ?? {};
      return wrap('VideoContent', {
        media: media(m),
        caption: str(m.caption),
        gifPlayback: m.gifPlayback === true,
        gifAttribution: enumName(proto.Message.VideoMessage.Attribution, m.gifAttribution),
      });
    }
    case 'ptvMessage':
      return wrap('PtvContent', { media: media(content.ptvMessage ?? {}) });
    case 'audioMessage': {
      const m = content.audioMessage ?? {};
      return wrap('AudioContent', { media: media(m), ptt: m.ptt === true, waveform: bytes(m.waveform) });
    }
    case 'documentMessage': {
      const m = content.documentMessage ?? {};
      return wrap('DocumentContent', { media: media(m), title: str(m.title), pageCount: toInt(m.pageCount), caption: str(m.caption) });
    }
    case 'stickerMessage': {
      const m = content.stickerMessage ?? {};
      return wrap('StickerContent', {
        media: media(m),
        isAnimated: m.isAnimated === true,
        isAvatar: m.isAvatar === true,
        isLottie: m.isLottie === true || wrappers.includes('LOTTIE_STICKER'),
      });
    }
    case 'locationMessage':
      return wrap('LocationContent', location(content.locationMessage ?? {}));
    case 'liveLocationMessage': {
      const m = content.liveLocationMessage ?? {};
      return wrap('LiveLocationContent', {
        latitude: num(m.degreesLatitude) ?? 0,
        longitude: num(m.degreesLongitude) ?? 0,
        accuracyInMeters: toInt(m.accuracyInMeters),
        speedInMps: num(m.speedInMps),
        degreesClockwiseFromMagneticNorth: toInt(m.degreesClockwiseFromMagneticNorth),
        caption: str(m.caption),
        sequenceNumber: toNumber(m.sequenceNumber),
        timeOffsetSeconds: toInt(m.timeOffset),
        durationSeconds: null,
        jpegThumbnail: bytes(m.jpegThumbnail),
      });
    }
    case 'contactMessage':
      return wrap('ContactContent', contact(content.contactMessage ?? {}));
    case 'contactsArrayMessage': {
      const m = content.contactsArrayMessage ?? {};
      return wrap('ContactsArrayContent', { displayName: str(m.displayName), contacts: (m.contacts ?? []).map(contact) });
    }
    case 'pollCreationMessage':
    case 'pollCreationMessageV2':
    case 'pollCreationMessageV3':
    case 'pollCreationMessageV5':
      return wrap('PollCreationContent', pollCreation(field, content[field] ?? {}));
    case 'pollUpdateMessage':
      return wrap('PollVoteContent', encryptedVote(content.pollUpdateMessage ?? {}));
    case 'reactionMessage':
      return wrap('ReactionContent', reactionContent(content.reactionMessage ?? {}));
    case 'buttonsMessage':
      return wrap('InteractiveContent', buttons(content.buttonsMessage ?? {}, media));
    case 'templateMessage':
      return wrap('InteractiveContent', template(content.templateMessage ?? {}, media));
    case 'listMessage':
      return wrap('InteractiveContent', list(content.listMessage ?? {}));
    case 'interactiveMessage':
      return wrap('InteractiveContent', interactive(content.interactiveMessage ?? {}, media));
    case 'buttonsResponseMessage': {
      const m = content.buttonsResponseMessage ?? {};
      return wrap('InteractiveResponseContent', {
        responseKind: 'BUTTONS',
        selectedId: str(m.selectedButtonId),
        selectedDisplayText: str(m.selectedDisplayText),
      });
    }
    case 'templateButtonReplyMessage': {
      const m = content.templateButtonReplyMessage ?? {};
      return wrap('InteractiveResponseContent', {
        responseKind: 'TEMPLATE',
        selectedId: str(m.selectedId),
        selectedDisplayText: str(m.selectedDisplayText),
        selectedIndex: toInt(m.selectedIndex),
      });
    }
    case 'listResponseMessage': {
      const m = content.listResponseMessage ?? {};
      return wrap('InteractiveResponseContent', {
        responseKind: 'LIST',
        selectedId: str(m.singleSelectReply?.selectedRowId),
        title: str(m.title),
        description: str(m.description),
      });
    }
    case 'interactiveResponseMessage': {
      const m = content.interactiveResponseMessage ?? {};
      return wrap('InteractiveResponseContent', {
        responseKind: 'NATIVE_FLOW',
        selectedId: str(m.nativeFlowResponseMessage?.name),
        selectedDisplayText: str(m.body?.text),
        rawJson: str(m.nativeFlowResponseMessage?.paramsJson),
      });
    }
    case 'groupInviteMessage': {
      const m = content.groupInviteMessage ?? {};
      return wrap('GroupInviteContent', {
        groupJid: bareJid(m.groupJid ?? ''),
        inviteCode: m.inviteCode ?? '',
        inviteExpiration: secondsToMillis(m.inviteExpiration),
        groupName: str(m.groupName),
        caption: str(m.caption),
        jpegThumbnail: bytes(m.jpegThumbnail),
      });
    }
    case 'productMessage': {
      const m = content.productMessage ?? {};
      const p = m.product ?? {};
      return wrap('ProductContent', {
        businessOwnerJid: str(m.businessOwnerJid),
        productId: str(p.productId),
        title: str(p.title),
        description: str(p.description),
        currencyCode: str(p.currencyCode),
        priceAmount1000: toNumber(p.priceAmount1000),
        salePriceAmount1000: toNumber(p.salePriceAmount1000),
        retailerId: str(p.retailerId),
        url: str(p.url),
        productImage: p.productImage ? media(p.productImage) : null,
        body: str(m.body),
        footer: str(m.footer),
      });
    }
    case 'orderMessage': {
      const m = content.orderMessage ?? {};
      return wrap('OrderContent', {
        orderId: str(m.orderId),
        itemCount: toInt(m.itemCount),
        status: enumName(proto.Message.OrderMessage.OrderStatus, m.status),
        surface: enumName(proto.Message.OrderMessage.OrderSurface, m.surface),
        message: str(m.message),
        orderTitle: str(m.orderTitle),
        sellerJid: str(m.sellerJid),
        totalAmount1000: toNumber(m.totalAmount1000),
        totalCurrencyCode: str(m.totalCurrencyCode),
        jpegThumbnail: bytes(m.thumbnail),
      });
    }
    case 'eventMessage': {
      const m = content.eventMessage ?? {};
      return wrap('EventContent', {
        name: m.name ?? '',
        description: str(m.description),
        location: m.location ? location(m.location) : null,
        joinLink: str(m.joinLink),
        startTime: secondsToMillis(m.startTime),
        endTime: secondsToMillis(m.endTime),
        isCanceled: m.isCanceled === true,
        extraGuestsAllowed: bool(m.extraGuestsAllowed),
        isScheduleCall: bool(m.isScheduleCall),
      });
    }
    case 'encEventResponseMessage': {
      const m = content.encEventResponseMessage ?? {};
      return wrap('EventResponseContent', {
        eventKey: messageKeyRecord(m.eventCreationMessageKey ?? {}),
        response: 'UNKNOWN',
        decrypted: false,
      });
    }
    case 'albumMessage': {
      const m = content.albumMessage ?? {};
      return wrap('AlbumContent', { expectedImageCount: toInt(m.expectedImageCount), expectedVideoCount: toInt(m.expectedVideoCount) });
    }
    default:
      return assertNever(field);
  }
}

function extendedText(m: proto.Message.IExtendedTextMessage, owner: MediaOwner, ctx: TranslateContext): AvroValue {
  const hasPreview = [m.matchedText, m.title, m.description].some((v) => str(v) !== null) || bytes(m.jpegThumbnail) !== null || str(m.thumbnailDirectPath) !== null;
  const thumbnail =
    str(m.thumbnailDirectPath) === null
      ? null
      : mediaRef(
          {
            mimetype: 'image/jpeg',
            fileSha256: m.thumbnailSha256 ?? null,
            fileEncSha256: m.thumbnailEncSha256 ?? null,
            directPath: m.thumbnailDirectPath ?? null,
            mediaKey: m.mediaKey ?? null,
            mediaKeyTimestamp: m.mediaKeyTimestamp,
            width: m.thumbnailWidth ?? null,
            height: m.thumbnailHeight ?? null,
          },
          owner,
          ctx,
        );
  return {
    text: m.text ?? '',
    linkPreview: hasPreview
      ? {
          url: str(m.matchedText),
          matchedText: str(m.matchedText),
          title: str(m.title),
          description: str(m.description),
          jpegThumbnail: bytes(m.jpegThumbnail),
          thumbnail,
        }
      : null,
    backgroundArgb: toNumber(m.backgroundArgb),
    textArgb: toNumber(m.textArgb),
    font: toInt(m.font),
  };
}

function location(m: proto.Message.ILocationMessage): AvroValue {
  return {
    latitude: num(m.degreesLatitude) ?? 0,
    longitude: num(m.degreesLongitude) ?? 0,
    name: str(m.name),
    address: str(m.address),
    url: str(m.url),
    comment: str(m.comment),
    accuracyInMeters: toInt(m.accuracyInMeters),
    speedInMps: num(m.speedInMps),
    degreesClockwiseFromMagneticNorth: toInt(m.degreesClockwiseFromMagneticNorth),
    jpegThumbnail: bytes(m.jpegThumbnail),
  };
}

function contact(m: proto.Message.IContactMessage): AvroValue {
  return { displayName: str(m.displayName), vcard: m.vcard ?? '' };
}

const POLL_VERSION: Record<string, number> = { pollCreationMessage: 1, pollCreationMessageV2: 2, pollCreationMessageV3: 3, pollCreationMessageV5: 5 };

/** Option texts of a poll creation, in order (WhatsApp votes carry their SHA-256). */
export function pollOptions(m: proto.Message.IPollCreationMessage): string[] {
  return (m.options ?? []).map((option) => option.optionName ?? '');
}

function pollCreation(field: string, m: proto.Message.IPollCreationMessage): AvroValue {
  const version = POLL_VERSION[field] ?? 1;
  return {
    name: m.name ?? '',
    options: pollOptions(m),
    selectableCount: toInt(m.selectableOptionsCount) ?? 0,
    version,
    // Baileys sends announcement-group polls as V2 and nothing else as V2.
    toAnnouncementGroup: version === 2 ? true : null,
  };
}

/** PollVoteContent of an encrypted `pollUpdateMessage`: only the ciphertext is known here. */
export function encryptedVote(m: proto.Message.IPollUpdateMessage): AvroValue {
  return {
    pollKey: messageKeyRecord(m.pollCreationMessageKey ?? {}),
    selectedOptions: [],
    selectedOptionHashes: [],
    decrypted: false,
    encPayload: bytes(m.vote?.encPayload),
    encIv: bytes(m.vote?.encIv),
    senderTimestamp: millis(m.senderTimestampMs),
  };
}

/** ReactionContent of a reaction proto (target key, emoji, time). */
export function reactionContent(m: proto.Message.IReactionMessage): AvroValue {
  return { targetKey: messageKeyRecord(m.key ?? {}), text: m.text ?? '', senderTimestamp: millis(m.senderTimestampMs) };
}

type MediaOf = (m: MediaProto) => AvroValue;

function buttons(m: proto.Message.IButtonsMessage, media: MediaOf): AvroValue {
  return {
    interactiveKind: 'BUTTONS',
    title: str(m.text),
    text: str(m.contentText),
    footer: str(m.footerText),
    headerMedia: headerMedia(m, media),
    buttons: (m.buttons ?? []).map((b) => ({ id: str(b.buttonId), displayText: b.buttonText?.displayText ?? '', type: 'REPLY' })),
    rawJson: sanitizedJson(m),
  };
}

function template(m: proto.Message.ITemplateMessage, media: MediaOf): AvroValue {
  const t = m.hydratedTemplate ?? m.hydratedFourRowTemplate ?? null;
  const buttonsOut = (t?.hydratedButtons ?? []).flatMap((b): AvroValue[] => {
    if (b.quickReplyButton) return [{ id: str(b.quickReplyButton.id), displayText: b.quickReplyButton.displayText ?? '', type: 'REPLY' }];
    if (b.urlButton) return [{ displayText: b.urlButton.displayText ?? '', type: 'URL', url: str(b.urlButton.url) }];
    if (b.callButton) return [{ displayText: b.callButton.displayText ?? '', type: 'CALL', phoneNumber: str(b.callButton.phoneNumber) }];
    return [];
  });
  return {
    interactiveKind: 'TEMPLATE',
    title: str(t?.hydratedTitleText),
    text: str(t?.hydratedContentText),
    footer: str(t?.hydratedFooterText),
    headerMedia: t === null ? null : headerMedia(t, media),
    buttons: buttonsOut,
    rawJson: sanitizedJson(m),
  };
}

function list(m: proto.Message.IListMessage): AvroValue {
  const rows = (m.sections ?? []).flatMap((section) =>
    (section.rows ?? []).map((row) => ({
      id: str(row.rowId),
      displayText: row.title ?? '',
      type: 'LIST_ROW',
      sectionTitle: str(section.title),
      description: str(row.description),
    })),
  );
  return {
    interactiveKind: 'LIST',
    title: str(m.title),
    text: str(m.description),
    footer: str(m.footerText),
    buttonText: str(m.buttonText),
    buttons: rows,
    rawJson: sanitizedJson(m),
  };
}

const NATIVE_FLOW_TYPES: Record<string, string> = { quick_reply: 'REPLY', cta_url: 'URL', cta_call: 'CALL', cta_copy: 'COPY', single_select: 'LIST_ROW' };

function interactive(m: proto.Message.IInteractiveMessage, media: MediaOf): AvroValue {
  const flow = m.nativeFlowMessage ?? null;
  const kind = flow !== null ? 'NATIVE_FLOW' : m.carouselMessage ? 'CAROUSEL' : 'UNKNOWN';
  const buttonsOut = (flow?.buttons ?? []).map((b) => {
    const params = parseJsonObject(b.buttonParamsJson);
    return {
      id: str(params.id),
      displayText: str(params.display_text) ?? str(params.title) ?? b.name ?? '',
      type: NATIVE_FLOW_TYPES[b.name ?? ''] ?? 'UNKNOWN',
      url: str(params.url),
      phoneNumber: str(params.phone_number),
      copyCode: str(params.copy_code),
    };
  });
  return {
    interactiveKind: kind,
    title: str(m.header?.title),
    text: str(m.body?.text),
    footer: str(m.footer?.text),
    headerMedia: m.header ? headerMedia(m.header, media) : null,
    buttons: buttonsOut,
    rawJson: sanitizedJson(m),
  };
}

interface WithHeaderMedia {
  imageMessage?: proto.Message.IImageMessage | null;
  videoMessage?: proto.Message.IVideoMessage | null;
  documentMessage?: proto.Message.IDocumentMessage | null;
}

function headerMedia(m: WithHeaderMedia, media: MediaOf): AvroValue | null {
  const found = m.imageMessage ?? m.videoMessage ?? m.documentMessage ?? null;
  return found === null ? null : media(found);
}

function parseJsonObject(text: string | null | undefined): Record<string, unknown> {
  if (typeof text !== 'string' || text.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Text or caption of a message, for the summary a reply embeds. */
export function textOf(content: proto.IMessage | null): string | null {
  if (content === null) return null;
  return (
    str(content.conversation) ??
    str(content.extendedTextMessage?.text) ??
    str(content.imageMessage?.caption) ??
    str(content.videoMessage?.caption) ??
    str(content.documentMessage?.caption) ??
    str(content.documentMessage?.fileName) ??
    str(content.pollCreationMessage?.name) ??
    str(content.pollCreationMessageV2?.name) ??
    str(content.pollCreationMessageV3?.name) ??
    str(content.contactMessage?.displayName) ??
    str(content.locationMessage?.name) ??
    str(content.eventMessage?.name) ??
    null
  );
}

/** `wa.conversation.ContextInfo` of a content's proto contextInfo (reply, mentions, forwarding, timer, ads). */
export function contextInfoRecord(info: proto.IContextInfo | null, ctx: TranslateContext): AvroValue | null {
  if (info === null) return null;
  const quoted = info.quotedMessage ? unwrapMessage(info.quotedMessage).content : null;
  const quotedField = contentFieldOf(quoted);
  const ad = info.externalAdReply ?? null;
  const newsletter = info.forwardedNewsletterMessageInfo ?? null;
  return {
    quotedMessageId: str(info.stanzaId),
    quotedParticipant: normaliseOptional(info.participant, ctx.lids),
    quotedRemoteJid: normaliseOptional(info.remoteJid, ctx.lids),
    quotedKind: quoted === null ? null : quotedField === null ? 'UNSUPPORTED' : kindOf(quotedField, quoted),
    quotedText: textOf(quoted),
    mentionedJids: (info.mentionedJid ?? []).filter((jid) => jid.length > 0).map(bareJid),
    groupMentions: (info.groupMentions ?? []).filter((g) => str(g.groupJid) !== null).map((g) => ({ groupJid: bareJid(g.groupJid ?? ''), groupSubject: str(g.groupSubject) })),
    isForwarded: info.isForwarded === true,
    forwardingScore: toInt(info.forwardingScore),
    expirationSeconds: toInt(info.expiration),
    ephemeralSettingAt: secondsToMillis(info.ephemeralSettingTimestamp),
    externalAdReply:
      ad === null
        ? null
        : {
            title: str(ad.title),
            body: str(ad.body),
            mediaType: enumName(proto.ContextInfo.ExternalAdReplyInfo.MediaType, ad.mediaType),
            thumbnailUrl: str(ad.thumbnailUrl),
            mediaUrl: str(ad.mediaUrl),
            sourceType: str(ad.sourceType),
            sourceId: str(ad.sourceId),
            sourceUrl: str(ad.sourceUrl),
            ctwaClid: str(ad.ctwaClid),
            containsAutoReply: bool(ad.containsAutoReply),
            showAdAttribution: bool(ad.showAdAttribution),
          },
    entryPointConversionSource: str(info.entryPointConversionSource),
    entryPointConversionApp: str(info.entryPointConversionApp),
    forwardedNewsletterJid: str(newsletter?.newsletterJid),
    forwardedNewsletterName: str(newsletter?.newsletterName),
    forwardedNewsletterServerMessageId: newsletter?.serverMessageId === null || newsletter?.serverMessageId === undefined ? null : String(newsletter.serverMessageId),
  };
}
