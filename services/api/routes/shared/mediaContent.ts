import type { MediaRefValue, SendableContent } from '../../../shared/commands/index.js';
import type { MediaReference } from '../../ApiServices.js';

/** The media kinds a send can carry; each is one content branch (gif = video with gifPlayback, voice = audio with ptt). */
export type MediaKind = 'image' | 'video' | 'gif' | 'ptv' | 'audio' | 'voice' | 'document' | 'sticker';

export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'video', 'gif', 'ptv', 'audio', 'voice', 'document', 'sticker'];

/** What a request may add to the media: texts and the file's own metadata. */
export interface MediaExtras {
  caption?: string | null;
  /** The file name shown for documents (and kept for any kind). */
  fileName?: string | null;
  /** Overrides the reference's MIME type (WHAPI `mimetype`). */
  mimetype?: string | null;
  /** Documents: the title WhatsApp shows; defaults to the file name. */
  title?: string | null;
  /** Stickers. */
  isAnimated?: boolean;
}

/** A stored (or URL) medium as a `MediaRef` the connector uploads to WhatsApp. */
export function mediaRef(ref: MediaReference, extras: Pick<MediaExtras, 'fileName' | 'mimetype'> = {}): MediaRefValue {
  return {
    mediaId: ref.mediaId,
    sha256: null,
    mimetype: nonEmpty(extras.mimetype) ?? ref.mimetype,
    fileLength: ref.size,
    fileName: nonEmpty(extras.fileName),
    width: null,
    height: null,
    seconds: null,
    // The bytes are in our store (or at a URL the connector fetches); WhatsApp has not seen them yet.
    status: 'PENDING',
    directPath: null,
    fileEncSha256: null,
    mediaKeyTimestamp: null,
    mediaKeyEncrypted: null,
    jpegThumbnail: null,
  };
}

/** The content branch a media send carries, e.g. `{ 'wa.conversation.ImageContent': { media, caption } }`. */
export function mediaContent(kind: MediaKind, ref: MediaReference, extras: MediaExtras = {}): SendableContent {
  const media = mediaRef(ref, extras);
  const caption = nonEmpty(extras.caption);
  switch (kind) {
    case 'image':
      return { 'wa.conversation.ImageContent': { media, caption } };
    case 'video':
    case 'gif':
      return { 'wa.conversation.VideoContent': { media, caption, gifPlayback: kind === 'gif', gifAttribution: null } };
    case 'ptv':
      return { 'wa.conversation.PtvContent': { media } };
    case 'audio':
    case 'voice':
      return { 'wa.conversation.AudioContent': { media, ptt: kind === 'voice', waveform: null } };
    case 'document':
      return { 'wa.conversation.DocumentContent': { media, title: nonEmpty(extras.title) ?? media.fileName ?? null, pageCount: null, caption } };
    case 'sticker':
      return { 'wa.conversation.StickerContent': { media, isAnimated: extras.isAnimated ?? false, isAvatar: false, isLottie: false } };
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown media kind ${String(unreachable)}`);
    }
  }
}

/** A text content branch (no preview of its own: the connector builds one when `linkPreview` asks for it). */
export function textContent(text: string): SendableContent {
  return { 'wa.conversation.TextContent': { text, linkPreview: null, backgroundArgb: null, textArgb: null, font: null } };
}

/** A location content branch. */
export function locationContent(location: { latitude: number; longitude: number; name?: string | null; address?: string | null; url?: string | null }): SendableContent {
  return {
    'wa.conversation.LocationContent': {
      latitude: location.latitude,
      longitude: location.longitude,
      name: nonEmpty(location.name),
      address: nonEmpty(location.address),
      url: nonEmpty(location.url),
      comment: null,
      accuracyInMeters: null,
      speedInMps: null,
      degreesClockwiseFromMagneticNorth: null,
      jpegThumbnail: null,
    },
  };
}

function nonEmpty(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}
