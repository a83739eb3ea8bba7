import { z } from 'zod';
import type { ChatRow } from '../../../../projections/readModels/index.js';

/** A WILDCAT chat (`GET /accounts/:accountId/chats`). */
export const wildcatChatSchema = z.object({
  chatId: z.string().meta({ example: '919876543210@s.whatsapp.net' }),
  name: z.string().nullable().meta({ example: 'John Doe' }),
  unreadCount: z.number().int(),
  lastMessageTime: z.number().int().nullable().meta({ description: 'milliseconds since the epoch', example: 1730700645123 }),
});
export type WildcatChat = z.infer<typeof wildcatChatSchema>;

/** A chat row in WILDCAT's shape. */
export function chatRowToWildcat(row: ChatRow): WildcatChat {
  return { chatId: row.chatJid, name: row.name, unreadCount: row.unreadCount, lastMessageTime: row.lastMessageAt };
}

/** A WHAPI chat (`GET /chats`, `GET /chats/:id`, `GET /channels/:id/chats`). */
export const whapiChatSchema = z.object({
  id: z.string().meta({ example: '79991234567@s.whatsapp.net' }),
  type: z.enum(['user', 'group', 'broadcast', 'newsletter', 'status']),
  name: z.string().nullable(),
  unreadCount: z.number().int(),
  lastMessageId: z.string().nullable(),
  lastMessageAt: z.number().int().nullable().meta({ description: 'milliseconds since the epoch' }),
  archived: z.boolean(),
  pinned: z.boolean(),
  mutedUntil: z.number().int().nullable().meta({ description: 'milliseconds since the epoch; null = not muted' }),
  labels: z.array(z.string()),
  ephemeralSeconds: z.number().int().nullable(),
});
export type WhapiChat = z.infer<typeof whapiChatSchema>;

/** A chat row in WHAPI's shape. */
export function chatRowToWhapi(row: ChatRow): WhapiChat {
  return {
    id: row.chatJid,
    type: row.kind,
    name: row.name,
    unreadCount: row.unreadCount,
    lastMessageId: row.lastMessageId,
    lastMessageAt: row.lastMessageAt,
    archived: row.archived,
    pinned: row.pinned,
    mutedUntil: row.mutedUntil,
    labels: [...row.labels],
    ephemeralSeconds: row.ephemeralSeconds,
  };
}
