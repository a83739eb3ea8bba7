import { WaError } from '../../services/shared/index.js';
import type { Page } from './ReadModels.js';

/** Largest page of each list; messages follow both API documents (at most 100). */
export const MAX_LIMIT = { messages: 100, lists: 500 } as const;
const MAX_OFFSET = 1_000_000_000;

/** A page made safe: whole numbers within bounds, whatever the caller passed. */
export function safePage(page: Partial<Page> | null | undefined, maxLimit: number, defaultLimit = 50): Page {
  const whole = (value: unknown, fallback: number, max: number): number => {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? Math.min(Math.max(Math.trunc(n), 0), max) : fallback;
  };
  return { limit: whole(page?.limit, Math.min(defaultLimit, maxLimit), maxLimit), offset: whole(page?.offset, 0, MAX_OFFSET) };
}

/** Where the chat list continues: the last chat's activity time and JID. */
export interface ChatCursor {
  activityAt: number;
  chatJid: string;
}

/** An opaque cursor for the chat list. */
export function encodeChatCursor(cursor: ChatCursor): string {
  return Buffer.from(JSON.stringify([cursor.activityAt, cursor.chatJid]), 'utf8').toString('base64url');
}

/** The chat-list position a cursor names; a 400 naming `cursor` when it is not one of ours. */
export function decodeChatCursor(cursor: string): ChatCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { activityAt: value[0] as number, chatJid: value[1] as string };
    }
  } catch {
    // fall through to the error below
  }
  throw new WaError('INVALID_ARGUMENT', 'cursor is not a cursor this server gave out', { field: 'cursor' });
}
