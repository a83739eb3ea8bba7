import { getContentType, normalizeMessageContent, proto, toNumber, type MediaType } from '@whiskeysockets/baileys';
import type { MessageSummary } from './state.js';

/** The message types a fake phone can send through `POST /sim/inbound`. */
export const INBOUND_TYPES = ['text', 'image', 'video', 'audio', 'voice', 'document', 'sticker', 'location', 'contact'] as const;
export type InboundType = (typeof INBOUND_TYPES)[number];
export type MediaInboundType = Extract<InboundType, 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker'>;

/** How each media type is encrypted and which mimetype a phone uses when none is given. */
export const MEDIA_DEFAULTS: Record<MediaInboundType, { mediaType: MediaType; mimetype: string }> = {
  image: { mediaType: 'image', mimetype: 'image/jpeg' },
  video: { mediaType: 'video', mimetype: 'video/mp4' },
  audio: { mediaType: 'audio', mimetype: 'audio/mpeg' },
  voice: { mediaType: 'audio', mimetype: 'audio/ogg; codecs=opus' },
  document: { mediaType: 'document', mimetype: 'application/pdf' },
  sticker: { mediaType: 'sticker', mimetype: 'image/webp' },
};

/** True for the inbound types that carry a media file. */
export function isMediaType(type: InboundType): type is MediaInboundType {
  return type in MEDIA_DEFAULTS;
}

/** Media after the sending phone encrypted and uploaded it. */
export interface UploadedMedia {
  url: string;
  directPath: string;
  mediaKey: Uint8Array;
  fileSha256: Uint8Array;
  fileEncSha256: Uint8Array;
  fileLength: number;
  mimetype: string;
  mediaKeyTimestamp: number;
}

/** Everything a fake phone's message may hold, already validated. */
export interface InboundContent {
  type: InboundType;
  text?: string;
  caption?: string;
  fileName?: string;
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  contact?: { displayName: string; vcard: string };
  media?: UploadedMedia;
  /** The message being replied to, as the phone embeds it in `contextInfo`. */
  quoted?: { messageId: string; participant: string; message: proto.IMessage; remoteJid?: string };
}

/** A minimal vCard for a shared contact. */
export function contactVcard(displayName: string, phone: string): string {
  return ['BEGIN:VCARD', 'VERSION:3.0', `FN:${displayName}`, `TEL;type=CELL;type=VOICE;waid=${phone}:+${phone}`, 'END:VCARD'].join('\n');
}

/** Builds the `proto.Message` a phone sends for this content, as WhatsApp clients shape it. */
export function buildInboundMessage(content: InboundContent): proto.Message {
  const contextInfo = content.quoted
    ? {
        stanzaId: content.quoted.messageId,
        participant: content.quoted.participant,
        quotedMessage: content.quoted.message,
        ...(content.quoted.remoteJid ? { remoteJid: content.quoted.remoteJid } : {}),
      }
    : undefined;
  const media = content.media
    ? {
        url: content.media.url,
        directPath: content.media.directPath,
        mediaKey: content.media.mediaKey,
        fileSha256: content.media.fileSha256,
        fileEncSha256: content.media.fileEncSha256,
        fileLength: content.media.fileLength,
        mimetype: content.media.mimetype,
        mediaKeyTimestamp: content.media.mediaKeyTimestamp,
      }
    : {};
  switch (content.type) {
    case 'text':
      return proto.Message.fromObject(
        contextInfo ? { extendedTextMessage: { text: content.text ?? '', contextInfo } } : { conversation: content.text ?? '' },
      );
    case 'image':
      return proto.Message.fromObject({ imageMessage: { ...media, caption: content.caption, contextInfo } });
    case 'video':
      return proto.Message.fromObject({ videoMessage: { ...media, caption: content.caption, seconds: 1, contextInfo } });
    case 'audio':
      return proto.Message.fromObject({ audioMessage: { ...media, ptt: false, seconds: 1, contextInfo } });
    case 'voice':
      return proto.Message.fromObject({ audioMessage: { ...media, ptt: true, seconds: 1, contextInfo } });
    case 'document': {
      const fileName = content.fileName ?? 'document';
      const documentMessage = { ...media, fileName, title: fileName, caption: content.caption, contextInfo };
      // Phones wrap captioned documents; Baileys' normalizeMessageContent unwraps them.
      return proto.Message.fromObject(
        content.caption ? { documentWithCaptionMessage: { message: { documentMessage } } } : { documentMessage },
      );
    }
    case 'sticker':
      return proto.Message.fromObject({ stickerMessage: { ...media, isAnimated: false, contextInfo } });
    case 'location': {
      const location = content.location ?? { latitude: 0, longitude: 0 };
      return proto.Message.fromObject({
        locationMessage: {
          degreesLatitude: location.latitude,
          degreesLongitude: location.longitude,
          name: location.name,
          address: location.address,
          contextInfo,
        },
      });
    }
    case 'contact': {
      const contact = content.contact ?? { displayName: '', vcard: '' };
      return proto.Message.fromObject({ contactMessage: { displayName: contact.displayName, vcard: contact.vcard, contextInfo } });
    }
    default: {
      const unknown: never = content.type;
      throw new Error(`unknown inbound type ${String(unknown)}`);
    }
  }
}

/** Where a message's media lives and how it was encrypted. */
export interface MediaRef {
  mediaType: MediaType;
  directPath: string | null;
  mediaKey: Uint8Array | null;
  fileSha256: Uint8Array | null;
  fileEncSha256: Uint8Array | null;
  fileLength: number | null;
  mimetype: string | null;
}

type MediaMessage =
  | proto.Message.IImageMessage
  | proto.Message.IVideoMessage
  | proto.Message.IAudioMessage
  | proto.Message.IDocumentMessage
  | proto.Message.IStickerMessage;

function mediaRef(media: MediaMessage, mediaType: MediaType): MediaRef {
  return {
    mediaType,
    directPath: media.directPath ?? null,
    mediaKey: media.mediaKey ?? null,
    fileSha256: media.fileSha256 ?? null,
    fileEncSha256: media.fileEncSha256 ?? null,
    fileLength: media.fileLength === null || media.fileLength === undefined ? null : toNumber(media.fileLength),
    mimetype: media.mimetype ?? null,
  };
}

function optional<T>(value: T | null | undefined): T | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

function locationOf(
  latitude: number | null | undefined,
  longitude: number | null | undefined,
  name: string | null | undefined,
  address: string | null | undefined,
): NonNullable<MessageSummary['location']> {
  return {
    latitude: latitude ?? 0,
    longitude: longitude ?? 0,
    ...(optional(name) ? { name: name! } : {}),
    ...(optional(address) ? { address: address! } : {}),
  };
}

/** What the network sees of a message: its type, text, media and what it refers to. */
export function summarizeMessage(message: proto.IMessage | null | undefined): { summary: MessageSummary; media: MediaRef | null } {
  const content = normalizeMessageContent(message);
  const type = getContentType(content);
  const quotedOf = (info: proto.IContextInfo | null | undefined): { quotedMessageId?: string } =>
    info?.stanzaId ? { quotedMessageId: info.stanzaId } : {};
  if (!content || !type) return { summary: { type: 'other' }, media: null };
  switch (type) {
    case 'conversation':
      return { summary: { type: 'text', text: content.conversation ?? '' }, media: null };
    case 'extendedTextMessage': {
      const m = content.extendedTextMessage!;
      return { summary: { type: 'text', text: m.text ?? '', ...quotedOf(m.contextInfo) }, media: null };
    }
    case 'imageMessage': {
      const m = content.imageMessage!;
      return {
        summary: { type: 'image', caption: optional(m.caption), mimetype: optional(m.mimetype), ...quotedOf(m.contextInfo) },
        media: mediaRef(m, 'image'),
      };
    }
    case 'videoMessage':
    case 'ptvMessage': {
      const m = (type === 'videoMessage' ? content.videoMessage : content.ptvMessage)!;
      return {
        summary: { type: 'video', caption: optional(m.caption), mimetype: optional(m.mimetype), ...quotedOf(m.contextInfo) },
        media: mediaRef(m, type === 'videoMessage' ? 'video' : 'ptv'),
      };
    }
    case 'audioMessage': {
      const m = content.audioMessage!;
      return {
        summary: { type: m.ptt ? 'voice' : 'audio', mimetype: optional(m.mimetype), ...quotedOf(m.contextInfo) },
        media: mediaRef(m, 'audio'),
      };
    }
    case 'documentMessage': {
      const m = content.documentMessage!;
      return {
        summary: {
          type: 'document',
          caption: optional(m.caption),
          mimetype: optional(m.mimetype),
          fileName: optional(m.fileName),
          ...quotedOf(m.contextInfo),
        },
        media: mediaRef(m, 'document'),
      };
    }
    case 'stickerMessage': {
      const m = content.stickerMessage!;
      return { summary: { type: 'sticker', mimetype: optional(m.mimetype), ...quotedOf(m.contextInfo) }, media: mediaRef(m, 'sticker') };
    }
    case 'locationMessage': {
      const m = content.locationMessage!;
      return {
        summary: { type: 'location', location: locationOf(m.degreesLatitude, m.degreesLongitude, m.name, m.address), ...quotedOf(m.contextInfo) },
        media: null,
      };
    }
    case 'liveLocationMessage': {
      const m = content.liveLocationMessage!;
      return {
        summary: { type: 'location', location: locationOf(m.degreesLatitude, m.degreesLongitude, null, null), ...quotedOf(m.contextInfo) },
        media: null,
      };
    }
    case 'contactMessage': {
      const m = content.contactMessage!;
      return {
        summary: { type: 'contact', contact: { displayName: m.displayName ?? '', vcard: m.vcard ?? '' }, ...quotedOf(m.contextInfo) },
        media: null,
      };
    }
    case 'contactsArrayMessage': {
      const first = content.contactsArrayMessage?.contacts?.[0];
      return {
        summary: { type: 'contact', contact: { displayName: first?.displayName ?? '', vcard: first?.vcard ?? '' } },
        media: null,
      };
    }
    case 'reactionMessage': {
      const m = content.reactionMessage!;
      return { summary: { type: 'reaction', reaction: m.text ?? '', targetMessageId: optional(m.key?.id) }, media: null };
    }
    case 'protocolMessage': {
      const m = content.protocolMessage!;
      if (m.type === proto.Message.ProtocolMessage.Type.REVOKE) {
        return { summary: { type: 'revoke', targetMessageId: optional(m.key?.id) }, media: null };
      }
      if (m.type === proto.Message.ProtocolMessage.Type.MESSAGE_EDIT) {
        const edited = summarizeMessage(m.editedMessage).summary;
        return { summary: { type: 'edit', text: edited.text ?? edited.caption ?? '', targetMessageId: optional(m.key?.id) }, media: null };
      }
      return { summary: { type: 'other' }, media: null };
    }
    case 'pollCreationMessage':
    case 'pollCreationMessageV2':
    case 'pollCreationMessageV3': {
      const m = content[type]!;
      return { summary: { type: 'poll', text: m.name ?? '' }, media: null };
    }
    default:
      return { summary: { type: 'other' }, media: null };
  }
}
