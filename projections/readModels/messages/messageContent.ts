import type { Avro } from '../../events/index.js';
import type { MediaInfo, MessageStatus } from '../ReadModels.js';

/** The parts of a content branch a message row shows directly. */
export interface ContentSummary {
  text: string | null;
  caption: string | null;
  media: Avro.MediaRef | null;
}

type Content = Avro.Message['content'];

/** The name of the single branch of a wrapped content union and its value. */
export function contentBranch(content: Content): [string, unknown] {
  const [entry] = Object.entries(content);
  return entry ?? ['', null];
}

/** Text, caption and media of a content branch. */
export function summarizeContent(content: Content): ContentSummary {
  const none: ContentSummary = { text: null, caption: null, media: null };
  const c = content as Partial<{
    'wa.conversation.TextContent': Avro.TextContent;
    'wa.conversation.ImageContent': Avro.ImageContent;
    'wa.conversation.VideoContent': Avro.VideoContent;
    'wa.conversation.PtvContent': Avro.PtvContent;
    'wa.conversation.AudioContent': Avro.AudioContent;
    'wa.conversation.DocumentContent': Avro.DocumentContent;
    'wa.conversation.StickerContent': Avro.StickerContent;
    'wa.conversation.LocationContent': Avro.LocationContent;
    'wa.conversation.LiveLocationContent': Avro.LiveLocationContent;
    'wa.conversation.ContactContent': Avro.ContactContent;
    'wa.conversation.ContactsArrayContent': Avro.ContactsArrayContent;
    'wa.conversation.PollCreationContent': Avro.PollCreationContent;
    'wa.conversation.InteractiveContent': Avro.InteractiveContent;
    'wa.conversation.InteractiveResponseContent': Avro.InteractiveResponseContent;
    'wa.conversation.GroupInviteContent': Avro.GroupInviteContent;
    'wa.conversation.ProductContent': Avro.ProductContent;
    'wa.conversation.OrderContent': Avro.OrderContent;
    'wa.conversation.EventContent': Avro.EventContent;
  }>;
  if (c['wa.conversation.TextContent']) return { ...none, text: c['wa.conversation.TextContent'].text };
  if (c['wa.conversation.ImageContent']) return { ...none, caption: c['wa.conversation.ImageContent'].caption, media: c['wa.conversation.ImageContent'].media };
  if (c['wa.conversation.VideoContent']) return { ...none, caption: c['wa.conversation.VideoContent'].caption, media: c['wa.conversation.VideoContent'].media };
  if (c['wa.conversation.PtvContent']) return { ...none, media: c['wa.conversation.PtvContent'].media };
  if (c['wa.conversation.AudioContent']) return { ...none, media: c['wa.conversation.AudioContent'].media };
  if (c['wa.conversation.DocumentContent']) return { ...none, caption: c['wa.conversation.DocumentContent'].caption, media: c['wa.conversation.DocumentContent'].media };
  if (c['wa.conversation.StickerContent']) return { ...none, media: c['wa.conversation.StickerContent'].media };
  if (c['wa.conversation.LocationContent']) return { ...none, text: c['wa.conversation.LocationContent'].name ?? c['wa.conversation.LocationContent'].address, caption: c['wa.conversation.LocationContent'].comment };
  if (c['wa.conversation.LiveLocationContent']) return { ...none, caption: c['wa.conversation.LiveLocationContent'].caption };
  if (c['wa.conversation.ContactContent']) return { ...none, text: c['wa.conversation.ContactContent'].displayName };
  if (c['wa.conversation.ContactsArrayContent']) return { ...none, text: c['wa.conversation.ContactsArrayContent'].displayName };
  if (c['wa.conversation.PollCreationContent']) return { ...none, text: c['wa.conversation.PollCreationContent'].name };
  if (c['wa.conversation.InteractiveContent']) return { ...none, text: c['wa.conversation.InteractiveContent'].text, media: c['wa.conversation.InteractiveContent'].headerMedia };
  if (c['wa.conversation.InteractiveResponseContent']) return { ...none, text: c['wa.conversation.InteractiveResponseContent'].selectedDisplayText };
  if (c['wa.conversation.GroupInviteContent']) return { ...none, caption: c['wa.conversation.GroupInviteContent'].caption };
  if (c['wa.conversation.ProductContent']) return { ...none, text: c['wa.conversation.ProductContent'].title, caption: c['wa.conversation.ProductContent'].body, media: c['wa.conversation.ProductContent'].productImage };
  if (c['wa.conversation.OrderContent']) return { ...none, text: c['wa.conversation.OrderContent'].message };
  if (c['wa.conversation.EventContent']) return { ...none, text: c['wa.conversation.EventContent'].name, caption: c['wa.conversation.EventContent'].description };
  // Reactions, poll votes, event responses, albums, stubs and unsupported content have no text of their own.
  return none;
}

/** The row's content type: the ContentKind in lower case, `unknown` when there is none to give. */
export function messageTypeOf(kind: Avro.ContentKind): string {
  return kind === 'UNKNOWN' || kind === 'UNSUPPORTED' ? 'unknown' : kind.toLowerCase();
}

/** What a media reference shows in a row (no WhatsApp coordinates, no key). */
export function mediaInfoOf(ref: Avro.MediaRef): MediaInfo & { sha256: string | null; width: number | null; height: number | null; seconds: number | null } {
  return {
    mediaId: ref.mediaId,
    mimetype: ref.mimetype,
    fileName: ref.fileName,
    size: ref.fileLength,
    state: ref.status === 'UNKNOWN' ? 'pending' : ref.status.toLowerCase(),
    sha256: ref.sha256,
    width: ref.width,
    height: ref.height,
    seconds: ref.seconds,
  };
}

// Status only moves forward. ERROR sits above PENDING (a send can fail) but below SERVER_ACK
// (a retried send that reached the server is sent).
const STATUS_RANK: Record<Avro.MessageStatus, number> = { UNKNOWN: 0, PENDING: 1, ERROR: 2, SERVER_ACK: 3, DELIVERY_ACK: 4, READ: 5, PLAYED: 6 };
const STATUS_OF_RANK: readonly (MessageStatus | null)[] = [null, 'pending', 'error', 'sent', 'delivered', 'read', 'played'];

/** The rank at and above which an inbound message counts as read. */
export const READ_RANK = STATUS_RANK.READ;

/** The forward-only rank of a status. */
export function statusRank(status: Avro.MessageStatus): number {
  return STATUS_RANK[status] ?? 0;
}

/** The row's status of a rank. */
export function statusOfRank(rank: number): MessageStatus | null {
  return STATUS_OF_RANK[rank] ?? null;
}
