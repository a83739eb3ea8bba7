import type { WAMessage } from '@whiskeysockets/baileys';
import type { AvroValue, DraftEvent, EventSource } from '../events/index.js';
import { draft } from './draft.js';
import { bareJid } from './jids.js';
import { chatOfKey, keyParts, messageKeyRecord, type AnyMessageKey } from './messageKey.js';
import type { MediaDescriptor, TranslateContext } from './TranslateContext.js';
import { unwrapMessage } from './unwrap.js';
import { bytes, hex, secondsToMillis, str, toInt, toNumber, type LongLike } from './values.js';

/** The media fields the image, video, audio, document and sticker protos share. */
export interface MediaProto {
  url?: string | null;
  mimetype?: string | null;
  fileSha256?: Uint8Array | null;
  fileLength?: LongLike;
  fileName?: string | null;
  width?: number | null;
  height?: number | null;
  seconds?: number | null;
  mediaKey?: Uint8Array | null;
  fileEncSha256?: Uint8Array | null;
  directPath?: string | null;
  mediaKeyTimestamp?: LongLike;
  jpegThumbnail?: Uint8Array | null;
}

/** Where a sealed media key belongs: the message's remoteJid (as recorded in its key) and id. */
export interface MediaOwner {
  remoteJid: string;
  id: string;
}

/**
 * `wa.common.MediaRef` of a media proto: content-addressed id (hex `fileSha256`), descriptive
 * fields, WhatsApp's download coordinates, and the media key sealed, never in clear.
 */
export function mediaRef(media: MediaProto, owner: MediaOwner, ctx: TranslateContext, overrides: Partial<Record<string, unknown>> = {}): AvroValue {
  const sha256 = hex(media.fileSha256);
  const mediaKey = bytes(media.mediaKey);
  const downloadable = mediaKey !== null && (str(media.directPath) !== null || str(media.url) !== null);
  return {
    mediaId: sha256,
    sha256,
    mimetype: str(media.mimetype),
    fileLength: toNumber(media.fileLength),
    fileName: str(media.fileName),
    width: toInt(media.width),
    height: toInt(media.height),
    seconds: toInt(media.seconds),
    status: downloadable ? 'PENDING' : 'SKIPPED',
    directPath: str(media.directPath),
    fileEncSha256: bytes(media.fileEncSha256),
    mediaKeyTimestamp: secondsToMillis(media.mediaKeyTimestamp),
    mediaKeyEncrypted: mediaKey === null ? null : sealMediaKey(mediaKey, owner, ctx),
    jpegThumbnail: bytes(media.jpegThumbnail),
    ...overrides,
  };
}

/** The AAD binding a sealed media key to its message: `accountId|remoteJid|messageId`. */
export function mediaKeyAad(accountId: string, owner: MediaOwner): string {
  return `${accountId}|${owner.remoteJid}|${owner.id}`;
}

function sealMediaKey(mediaKey: Buffer, owner: MediaOwner, ctx: TranslateContext): AvroValue {
  const sealed = ctx.sealSecret(mediaKey, mediaKeyAad(ctx.accountId, owner));
  return { keyId: sealed.keyId, iv: Buffer.from(sealed.iv), authTag: Buffer.from(sealed.authTag), ciphertext: Buffer.from(sealed.ciphertext) };
}

/** The owner of a message's media, as its recorded key names it. */
export function ownerOfKey(key: AnyMessageKey): MediaOwner {
  return { remoteJid: bareJid(key.remoteJid ?? ''), id: key.id ?? '' };
}

const MEDIA_FIELDS = ['imageMessage', 'videoMessage', 'ptvMessage', 'audioMessage', 'documentMessage', 'stickerMessage'] as const;

/** What the runtime needs to download a message's media; null when it has none, or none WhatsApp lets us fetch. */
export function mediaOf(message: WAMessage): MediaDescriptor | null {
  const { content } = unwrapMessage(message.message);
  if (content === null) return null;
  for (const field of MEDIA_FIELDS) {
    const media = content[field] as MediaProto | null | undefined;
    if (media === null || media === undefined) continue;
    const mediaId = hex(media.fileSha256);
    if (mediaId === null || bytes(media.mediaKey) === null) return null;
    return {
      key: message.key,
      messageType: field,
      mediaId,
      mimetype: str(media.mimetype),
      fileLength: toNumber(media.fileLength),
      fileName: str(media.fileName),
    };
  }
  return null;
}

/** The plain values a `message.media` event reports about the stored copy. */
export interface MediaUpdate {
  mediaId?: string | null;
  sha256?: string | null;
  mimetype?: string | null;
  fileLength?: number | null;
  fileName?: string | null;
  width?: number | null;
  height?: number | null;
  seconds?: number | null;
}

/** `wa.common.MediaStatus` symbols. */
export type MediaStatus = 'PENDING' | 'STORED' | 'FAILED' | 'EXPIRED' | 'SKIPPED';

/** `message.media`: the stored copy of a message's media changed state (natural key: key, status, sha256). */
export function mediaUpdatedEvent(
  ctx: TranslateContext,
  key: AnyMessageKey,
  media: MediaUpdate,
  status: MediaStatus,
  error: string | null = null,
  source: EventSource = 'SYSTEM',
): DraftEvent {
  const sha256 = media.sha256 ?? (status === 'STORED' ? (media.mediaId ?? null) : null);
  return draft(ctx, {
    type: 'message.media',
    branch: 'wa.conversation.MessageMediaUpdated',
    data: {
      targetKey: messageKeyRecord(key),
      media: {
        mediaId: media.mediaId ?? null,
        sha256,
        mimetype: media.mimetype ?? null,
        fileLength: media.fileLength ?? null,
        fileName: media.fileName ?? null,
        width: media.width ?? null,
        height: media.height ?? null,
        seconds: media.seconds ?? null,
        status,
      },
      error,
    },
    chatJid: chatOfKey(key, ctx),
    occurredAt: ctx.now(),
    source,
    key: [...keyParts(key, ctx), status, sha256],
  });
}
