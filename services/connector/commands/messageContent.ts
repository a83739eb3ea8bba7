import type { Readable } from 'node:stream';
import type { AnyMessageContent, WAMediaUpload, WAUrlInfo, proto } from '@whiskeysockets/baileys';
import { WaError, type MediaStore } from '../../shared/index.js';
import type {
  ContactContentValue,
  LinkPreviewValue,
  LocationContentValue,
  MediaRefValue,
  SendableContent,
  TextContentValue,
} from '../../shared/commands/index.js';

const VOICE_NOTE_MIMETYPE = 'audio/ogg; codecs=opus';

/** Where media bytes come from: our store by content address, or a URL the runtime may fetch. */
export interface MediaSource {
  media: MediaStore;
  fetchUrl?: (url: string) => Promise<Readable>;
}

/**
 * Media opened for one send. Baileys consumes each stream while encrypting and uploading;
 * `close()` destroys whatever is left, so a failed send never leaks a file handle.
 */
export class OpenedMedia {
  private readonly streams: Readable[] = [];

  constructor(private readonly source: MediaSource) {}

  /** Opens the bytes a media reference points at, with the best known mimetype. */
  async open(ref: MediaRefValue | string, field: string): Promise<{ upload: WAMediaUpload; mimetype: string | null }> {
    const mediaId = typeof ref === 'string' ? ref : ref.mediaId;
    const declared = typeof ref === 'string' ? null : (ref.mimetype ?? null);
    if (mediaId === null) throw mediaError('VALIDATION_FAILED', 'media must be stored first and referenced by mediaId', field);
    if (/^https?:\/\//i.test(mediaId)) {
      if (this.source.fetchUrl === undefined) throw mediaError('UNSUPPORTED', 'this connector does not fetch media URLs', field);
      const stream = this.track(await this.source.fetchUrl(mediaId));
      return { upload: { stream }, mimetype: declared };
    }
    let stream: Readable;
    try {
      stream = this.track(await this.source.media.open(mediaId));
    } catch (error) {
      if (error instanceof WaError && error.code === 'NOT_FOUND') throw mediaError('MEDIA_NOT_FOUND', `media ${mediaId} is not in the store`, field, error);
      throw error;
    }
    const mimetype = declared ?? (await this.source.media.stat(mediaId))?.mimetype ?? null;
    return { upload: { stream }, mimetype };
  }

  /** Destroys every stream opened (a consumed stream is unaffected). */
  close(): void {
    for (const stream of this.streams) stream.destroy();
  }

  private track(stream: Readable): Readable {
    this.streams.push(stream);
    return stream;
  }
}

/** What a SendMessage adds around its content: mentions, view-once, link-preview preference. */
export interface ContentModifiers {
  mentions: readonly string[];
  mentionAll: boolean;
  viewOnce: boolean;
  /** False: never generate a link preview when the content brings none. */
  linkPreview: boolean;
  /** The message id the content is sent under (live locations need it inside the content). */
  messageId: string;
  to: string;
}

/** Builds Baileys' `AnyMessageContent` for one content branch of SendMessage / PostStory. */
export async function toMessageContent(content: SendableContent, modifiers: ContentModifiers, media: OpenedMedia): Promise<AnyMessageContent> {
  const base = await baseContent(content, modifiers, media);
  // Baileys reads these modifiers from any content at run time, though its types declare
  // them on some branches only.
  return {
    ...base,
    ...(modifiers.mentions.length > 0 ? { mentions: [...modifiers.mentions] } : {}),
    ...(modifiers.mentionAll ? { mentionAll: true } : {}),
    ...(modifiers.viewOnce ? { viewOnce: true } : {}),
  } as AnyMessageContent;
}

async function baseContent(content: SendableContent, modifiers: ContentModifiers, media: OpenedMedia): Promise<AnyMessageContent> {
  const field = 'content.media.mediaId';
  if ('wa.conversation.TextContent' in content) return textContent(content['wa.conversation.TextContent'], modifiers.linkPreview);
  if ('wa.conversation.ImageContent' in content) {
    const c = content['wa.conversation.ImageContent'];
    const { upload, mimetype } = await media.open(c.media, field);
    return {
      image: upload,
      ...opt('caption', c.caption),
      ...opt('mimetype', mimetype),
      ...opt('width', c.media.width),
      ...opt('height', c.media.height),
      ...opt('jpegThumbnail', c.media.jpegThumbnail?.toString('base64')),
    };
  }
  if ('wa.conversation.VideoContent' in content) {
    const c = content['wa.conversation.VideoContent'];
    const { upload, mimetype } = await media.open(c.media, field);
    return {
      video: upload,
      gifPlayback: c.gifPlayback,
      ...opt('caption', c.caption),
      ...opt('mimetype', mimetype),
      ...opt('width', c.media.width),
      ...opt('height', c.media.height),
      ...opt('jpegThumbnail', c.media.jpegThumbnail?.toString('base64')),
    };
  }
  if ('wa.conversation.PtvContent' in content) {
    const { upload, mimetype } = await media.open(content['wa.conversation.PtvContent'].media, field);
    return { video: upload, ptv: true, ...opt('mimetype', mimetype) };
  }
  if ('wa.conversation.AudioContent' in content) {
    const c = content['wa.conversation.AudioContent'];
    const { upload, mimetype } = await media.open(c.media, field);
    return { audio: upload, ptt: c.ptt, ...opt('mimetype', mimetype ?? (c.ptt ? VOICE_NOTE_MIMETYPE : null)), ...opt('seconds', c.media.seconds) };
  }
  if ('wa.conversation.DocumentContent' in content) {
    const c = content['wa.conversation.DocumentContent'];
    const { upload, mimetype } = await media.open(c.media, field);
    return {
      document: upload,
      mimetype: mimetype ?? 'application/octet-stream',
      ...opt('fileName', c.media.fileName ?? c.title),
      ...opt('caption', c.caption),
    };
  }
  if ('wa.conversation.StickerContent' in content) {
    const c = content['wa.conversation.StickerContent'];
    const { upload, mimetype } = await media.open(c.media, field);
    return { sticker: upload, isAnimated: c.isAnimated, mimetype: mimetype ?? 'image/webp' };
  }
  if ('wa.conversation.LocationContent' in content) return { location: locationMessage(content['wa.conversation.LocationContent']) };
  if ('wa.conversation.LiveLocationContent' in content) {
    const c = content['wa.conversation.LiveLocationContent'];
    const liveLocationMessage: proto.Message.ILiveLocationMessage = {
      degreesLatitude: c.latitude,
      degreesLongitude: c.longitude,
      accuracyInMeters: c.accuracyInMeters,
      speedInMps: c.speedInMps,
      degreesClockwiseFromMagneticNorth: c.degreesClockwiseFromMagneticNorth,
      caption: c.caption,
      sequenceNumber: c.sequenceNumber,
      timeOffset: c.timeOffsetSeconds,
      jpegThumbnail: c.jpegThumbnail,
    };
    // Baileys has no live-location content; forwarding our own message unforced sends any
    // proto content as is (forwarding score 0, so it is not marked as forwarded).
    return { forward: { key: { remoteJid: modifiers.to, fromMe: true, id: modifiers.messageId }, message: { liveLocationMessage } }, force: false };
  }
  if ('wa.conversation.ContactContent' in content) {
    const c = content['wa.conversation.ContactContent'];
    return { contacts: { ...opt('displayName', displayNameOf(c)), contacts: [contactMessage(c)] } };
  }
  if ('wa.conversation.ContactsArrayContent' in content) {
    const c = content['wa.conversation.ContactsArrayContent'];
    const displayName = c.displayName ?? `${c.contacts.length} contacts`;
    return { contacts: { displayName, contacts: c.contacts.map(contactMessage) } };
  }
  if ('wa.conversation.PollCreationContent' in content) {
    const c = content['wa.conversation.PollCreationContent'];
    return { poll: { name: c.name, values: [...c.options], selectableCount: c.selectableCount, ...opt('toAnnouncementGroup', c.toAnnouncementGroup) } };
  }
  if ('wa.conversation.EventContent' in content) {
    const c = content['wa.conversation.EventContent'];
    if (c.startTime === null) throw mediaError('VALIDATION_FAILED', 'an event needs a start time', 'content.startTime');
    return {
      event: {
        name: c.name,
        startDate: new Date(c.startTime),
        isCancelled: c.isCanceled,
        ...opt('description', c.description),
        ...opt('endDate', c.endTime === null ? null : new Date(c.endTime)),
        ...opt('location', c.location === null ? null : locationMessage(c.location)),
        ...opt('extraGuestsAllowed', c.extraGuestsAllowed),
        ...opt('isScheduleCall', c.isScheduleCall),
      },
    };
  }
  const unreachable: never = content;
  throw new WaError('INVALID_ARGUMENT', `unknown content branch ${Object.keys(unreachable as object).join()}`, { field: 'content' });
}

function textContent(c: TextContentValue, generatePreview: boolean): AnyMessageContent {
  if (c.linkPreview !== null) return { text: c.text, linkPreview: urlInfo(c.linkPreview) };
  // undefined lets Baileys fetch a preview for the first URL; null forbids it.
  return generatePreview ? { text: c.text } : { text: c.text, linkPreview: null };
}

function urlInfo(preview: LinkPreviewValue): WAUrlInfo {
  return {
    'canonical-url': preview.url ?? preview.matchedText ?? '',
    'matched-text': preview.matchedText ?? preview.url ?? '',
    title: preview.title ?? '',
    ...opt('description', preview.description),
    ...opt('jpegThumbnail', preview.jpegThumbnail),
  };
}

function locationMessage(c: LocationContentValue): proto.Message.ILocationMessage {
  return {
    degreesLatitude: c.latitude,
    degreesLongitude: c.longitude,
    name: c.name,
    address: c.address,
    url: c.url,
    comment: c.comment,
    accuracyInMeters: c.accuracyInMeters,
    speedInMps: c.speedInMps,
    degreesClockwiseFromMagneticNorth: c.degreesClockwiseFromMagneticNorth,
    jpegThumbnail: c.jpegThumbnail,
  };
}

function contactMessage(c: ContactContentValue): proto.Message.IContactMessage {
  return { vcard: c.vcard, ...opt('displayName', displayNameOf(c)) };
}

/** The card's display name, else its FN line: WhatsApp shows it on the message bubble. */
function displayNameOf(c: ContactContentValue): string | null {
  return c.displayName ?? /^FN[^:]*:(.*)$/im.exec(c.vcard)?.[1]?.trim() ?? null;
}

/** `{ [name]: value }` when the value is known, else nothing: Baileys treats a present null differently from absent. */
function opt<K extends string, V>(name: K, value: V | null | undefined): { [P in K]?: V } {
  return (value === null || value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

function mediaError(commandCode: string, message: string, field: string, cause?: unknown): WaError {
  return new WaError(commandCode === 'MEDIA_NOT_FOUND' ? 'NOT_FOUND' : 'INVALID_ARGUMENT', message, {
    field,
    cause,
    details: { commandCode },
  });
}
