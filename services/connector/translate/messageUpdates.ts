import { proto, type BaileysEventMap, type WAMessageUpdate } from '@whiskeysockets/baileys';
import type { DraftEvent } from '../events/index.js';
import { chatClearedEvent } from './chats.js';
import { mediaUpdatedEvent } from './media.js';
import { deletedEvent, editedEvent, pollVoteEvent, reactionEvent, receiptEvents, starEvent, statusEvent, statusName } from './messageActions.js';
import { learnFromKey } from './messageKey.js';
import type { TranslateContext } from './TranslateContext.js';
import { secondsToMillis, toNumber } from './values.js';

const REVOKE_STUB = proto.WebMessageInfo.StubType.REVOKE;

/**
 * `messages.update`: status changes (`message.status`), revokes (`message.deleted`), edits
 * (`message.edited`), stars from another device (`message.starred` / `unstarred`) and decrypted
 * poll votes (`poll.vote`). Other updates (placeholder resend markers...) carry no event.
 */
export function* translateMessagesUpdate(updates: readonly WAMessageUpdate[], ctx: TranslateContext): Generator<DraftEvent> {
  for (const { key, update } of updates) {
    if (typeof key?.id !== 'string' || typeof key.remoteJid !== 'string') continue;
    const at = ctx.now();
    yield* learnFromKey(key, ctx, 'LIVE', at);

    const status = statusName(update.status);
    if (status !== 'UNKNOWN') {
      const code = status === 'ERROR' ? Number.parseInt(String(update.messageStubParameters?.[0] ?? ''), 10) : Number.NaN;
      yield statusEvent(
        ctx,
        { key, status, participant: null, statusAt: secondsToMillis(update.messageTimestamp), errorCode: Number.isSafeInteger(code) ? code : null },
        'LIVE',
      );
    }
    if (update.messageStubType === REVOKE_STUB && !update.message) {
      yield deletedEvent(ctx, { targetKey: key, scope: 'FOR_EVERYONE', carrierKey: update.key ?? null, isAdminRevoke: false, deletedAt: at }, 'LIVE');
    }
    const edited = update.message?.editedMessage?.message ?? null;
    if (edited !== null) {
      yield editedEvent(ctx, key, edited, secondsToMillis(update.messageTimestamp) ?? at, null, 'LIVE');
    }
    if (typeof update.starred === 'boolean') {
      // Baileys only learns stars from app-state sync.
      yield starEvent(ctx, key, update.starred, 'APP_STATE_SYNC');
    }
    for (const vote of update.pollUpdates ?? []) {
      if (!vote.pollUpdateMessageKey) continue;
      yield pollVoteEvent(
        ctx,
        { pollKey: key, voterKey: vote.pollUpdateMessageKey, senderTimestampMs: vote.senderTimestampMs, carrierKey: vote.pollUpdateMessageKey, selectedHashes: vote.vote?.selectedOptions ?? [] },
        'LIVE',
        at,
      );
    }
  }
}

/** `messages.delete`: keys deleted for this account only (`message.deleted` FOR_ME), or a whole chat cleared (`chat.cleared`). */
export function* translateMessagesDelete(event: BaileysEventMap['messages.delete'], ctx: TranslateContext): Generator<DraftEvent> {
  if ('all' in event) {
    yield chatClearedEvent(event.jid, ctx);
    return;
  }
  for (const key of event.keys) {
    if (typeof key?.id !== 'string' || typeof key.remoteJid !== 'string') continue;
    // Baileys only learns deletions for me from app-state sync.
    yield deletedEvent(ctx, { targetKey: key, scope: 'FOR_ME', carrierKey: null, isAdminRevoke: false, deletedAt: ctx.now() }, 'APP_STATE_SYNC');
  }
}

/** `messages.reaction` → `message.reaction` (same eventId as the reaction message itself). */
export function* translateMessagesReaction(reactions: BaileysEventMap['messages.reaction'], ctx: TranslateContext): Generator<DraftEvent> {
  for (const { key, reaction } of reactions) {
    if (typeof key?.id !== 'string' || !reaction.key) continue;
    yield reactionEvent(
      ctx,
      { targetKey: key, reactorKey: reaction.key, text: reaction.text ?? '', senderTimestampMs: reaction.senderTimestampMs, carrierKey: reaction.key },
      'LIVE',
      ctx.now(),
    );
  }
}

/** `message-receipt.update` → one `message.status` per participant and status reached. */
export function* translateReceipts(receipts: BaileysEventMap['message-receipt.update'], ctx: TranslateContext): Generator<DraftEvent> {
  for (const { key, receipt } of receipts) {
    if (typeof key?.id !== 'string' || typeof key.remoteJid !== 'string') continue;
    yield* receiptEvents(ctx, key, receipt, 'LIVE');
  }
}

/**
 * `messages.media-update` (WhatsApp's answer to a media re-upload request) → `message.media`:
 * FAILED (EXPIRED when WhatsApp no longer has it) with the error, or PENDING when the media was
 * re-uploaded and can be downloaded again (the runtime then stores it and reports STORED).
 */
export function* translateMediaUpdates(updates: BaileysEventMap['messages.media-update'], ctx: TranslateContext): Generator<DraftEvent> {
  for (const { key, error } of updates) {
    if (typeof key?.id !== 'string' || typeof key.remoteJid !== 'string') continue;
    if (error) {
      const statusCode = toNumber((error as { output?: { statusCode?: number } }).output?.statusCode);
      const expired = statusCode === 404 || statusCode === 410;
      yield mediaUpdatedEvent(ctx, key, {}, expired ? 'EXPIRED' : 'FAILED', error.message, 'LIVE');
    } else {
      yield mediaUpdatedEvent(ctx, key, {}, 'PENDING', null, 'LIVE');
    }
  }
}
