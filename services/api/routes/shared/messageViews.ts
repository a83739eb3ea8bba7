import { z } from 'zod';
import type { MessageRow } from '../../../../projections/readModels/index.js';

const millis = z.number().int().meta({ description: 'milliseconds since the epoch', example: 1730700645123 });

/** A WILDCAT message (`GET .../chats/:chatId/messages`, `GET .../messages/:messageId`). */
export const wildcatMessageSchema = z.object({
  messageId: z.string().meta({ example: '3EB0123ABCD456EF' }),
  from: z.string().meta({ example: '919876543210@s.whatsapp.net' }),
  chatId: z.string(),
  timestamp: millis,
  type: z.string().meta({ example: 'text' }),
  fromMe: z.boolean(),
  text: z.string().optional(),
  hasMedia: z.boolean().optional(),
  mediaId: z.string().optional(),
  caption: z.string().optional(),
});
export type WildcatMessage = z.infer<typeof wildcatMessageSchema>;

/** A message row in WILDCAT's shape: optional fields only when they have a value, as in the document's examples. */
export function messageRowToWildcat(row: MessageRow): WildcatMessage {
  return {
    messageId: row.messageId,
    from: row.senderJid ?? row.chatJid,
    chatId: row.chatJid,
    timestamp: row.timestamp,
    type: row.type,
    fromMe: row.fromMe,
    ...(textOf(row) === null ? {} : { text: textOf(row)! }),
    ...(row.media === null ? {} : { hasMedia: true }),
    ...(row.media?.mediaId == null ? {} : { mediaId: row.media.mediaId }),
    ...(row.caption === null ? {} : { caption: row.caption }),
  };
}

const mediaSchema = z.object({
  mediaId: z.string().nullable().meta({ description: 'id for GET /media/:id once stored' }),
  mimetype: z.string().nullable(),
  fileName: z.string().nullable(),
  size: z.number().int().nullable(),
  state: z.string().meta({ description: 'pending, stored, failed or expired' }),
});

/** A WHAPI message (`GET /messages/list`, `GET /channels/:id/chats/:chatId/messages`). */
export const whapiMessageSchema = z.object({
  id: z.string().meta({ example: 'BAE5123ABCD456EF' }),
  chatId: z.string().meta({ example: '79991234567@s.whatsapp.net' }),
  from: z.string(),
  fromMe: z.boolean(),
  type: z.string().meta({ example: 'text' }),
  timestamp: millis,
  status: z.enum(['pending', 'sent', 'delivered', 'read', 'played', 'error']).nullable(),
  text: z.string().nullable(),
  caption: z.string().nullable(),
  media: mediaSchema.nullable(),
  quotedMessageId: z.string().nullable(),
  mentions: z.array(z.string()),
  reactions: z.array(z.object({ emoji: z.string(), from: z.string(), timestamp: millis })),
  edited: z.boolean(),
  deleted: z.boolean(),
  starred: z.boolean(),
  pinned: z.boolean(),
});
export type WhapiMessage = z.infer<typeof whapiMessageSchema>;

/** A message row in WHAPI's shape. */
export function messageRowToWhapi(row: MessageRow): WhapiMessage {
  return {
    id: row.messageId,
    chatId: row.chatJid,
    from: row.senderJid ?? row.chatJid,
    fromMe: row.fromMe,
    type: row.type,
    timestamp: row.timestamp,
    status: row.status,
    text: textOf(row),
    caption: row.caption,
    media: row.media === null ? null : { mediaId: row.media.mediaId, mimetype: row.media.mimetype, fileName: row.media.fileName, size: row.media.size, state: row.media.state },
    quotedMessageId: row.quotedMessageId,
    mentions: [...row.mentions],
    reactions: row.reactions.map((reaction) => ({ emoji: reaction.emoji, from: reaction.reactorJid, timestamp: reaction.at })),
    edited: row.edits.length > 0,
    deleted: row.deleted,
    starred: row.starred,
    pinned: row.pinned,
  };
}

/** An edited message shows its latest text. */
function textOf(row: MessageRow): string | null {
  return row.edits.at(-1)?.text ?? row.text;
}
