import type { BaileysEventMap } from '@whiskeysockets/baileys';
import type { AvroValue, DraftEvent } from '../events/index.js';
import { digestOf, draft } from './draft.js';
import { bareJid } from './jids.js';
import type { TranslateContext } from './TranslateContext.js';
import { bool, str, toNumber } from './values.js';

const STATS_BRANCH = 'wa.account.NewsletterMessageStats';
const METADATA_BRANCH = 'wa.account.NewsletterMetadata';

/** `newsletter-participants.update` → `newsletter.participant` (natural key: newsletterJid, userJid, action, newRole, occurredAt). */
export function newsletterParticipantEvent(event: BaileysEventMap['newsletter-participants.update'], ctx: TranslateContext): DraftEvent {
  const newsletterJid = bareJid(event.id);
  const userJid = bareJid(event.user ?? '');
  const newRole = str(event.new_role);
  const occurredAt = ctx.now();
  return draft(ctx, {
    type: 'newsletter.participant',
    branch: 'wa.account.NewsletterParticipantChanged',
    data: { newsletterJid, userJid, authorJid: str(event.author) === null ? null : bareJid(event.author), action: event.action ?? '', newRole },
    chatJid: newsletterJid,
    occurredAt,
    source: 'LIVE',
    key: [newsletterJid, userJid, event.action, newRole, occurredAt],
  });
}

/** `newsletter.reaction` → `newsletter.reaction` (natural key: newsletterJid, serverMessageId, reactionCode, reactionCount). */
export function newsletterReactionEvent(event: BaileysEventMap['newsletter.reaction'], ctx: TranslateContext): DraftEvent {
  const newsletterJid = bareJid(event.id);
  const data = {
    newsletterJid,
    serverMessageId: String(event.server_id),
    viewCount: null,
    reactionCode: str(event.reaction.code),
    reactionCount: toNumber(event.reaction.count),
    reactionRemoved: bool(event.reaction.removed),
  };
  return draft(ctx, {
    type: 'newsletter.reaction',
    branch: STATS_BRANCH,
    data,
    chatJid: newsletterJid,
    occurredAt: ctx.now(),
    source: 'LIVE',
    key: [newsletterJid, data.serverMessageId, data.reactionCode, data.reactionCount],
  });
}

/** `newsletter.view` → `newsletter.view` (natural key: newsletterJid, serverMessageId, viewCount). */
export function newsletterViewEvent(event: BaileysEventMap['newsletter.view'], ctx: TranslateContext): DraftEvent {
  const newsletterJid = bareJid(event.id);
  const viewCount = toNumber(event.count);
  return draft(ctx, {
    type: 'newsletter.view',
    branch: STATS_BRANCH,
    data: { newsletterJid, serverMessageId: String(event.server_id), viewCount },
    chatJid: newsletterJid,
    occurredAt: ctx.now(),
    source: 'LIVE',
    key: [newsletterJid, String(event.server_id), viewCount],
  });
}

/** `newsletter-settings.update` → `newsletter.updated` (natural key: jid, occurredAt, digest(data)); settings arrive as strings or `{ text }`. */
export function newsletterSettingsEvent(event: BaileysEventMap['newsletter-settings.update'], ctx: TranslateContext): DraftEvent {
  const update = (typeof event.update === 'object' && event.update !== null ? event.update : {}) as Record<string, unknown>;
  const jid = bareJid(event.id);
  const data: AvroValue = {
    jid,
    name: textSetting(update.name),
    description: textSetting(update.description),
    pictureUrl: textSetting(update.picture) ?? textSetting(update.pictureUrl),
    verified: null,
    state: null,
    viewerRole: null,
    muted: null,
    createdAt: null,
  };
  const occurredAt = ctx.now();
  return draft(ctx, {
    type: 'newsletter.updated',
    branch: METADATA_BRANCH,
    data,
    chatJid: jid,
    occurredAt,
    source: 'LIVE',
    key: [jid, occurredAt, digestOf(ctx, METADATA_BRANCH, data)],
  });
}

function textSetting(value: unknown): string | null {
  if (typeof value === 'string') return str(value);
  if (typeof value === 'object' && value !== null) {
    const inner = value as { text?: unknown; url?: unknown };
    return str(inner.text) ?? str(inner.url);
  }
  return null;
}
