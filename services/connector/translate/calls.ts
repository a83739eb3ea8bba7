import type { WACallEvent, WACallUpdateType } from '@whiskeysockets/baileys';
import type { DraftEvent } from '../events/index.js';
import { assertNever } from './assertNever.js';
import { draft } from './draft.js';
import { bareJid, normaliseJid } from './jids.js';
import type { TranslateContext } from './TranslateContext.js';
import { str, toInt } from './values.js';

/** `wa.account.CallStatus` of a Baileys call update; null for transport-level signalling that changes nothing for the user. */
export function callStatusOf(status: WACallUpdateType): string | null {
  switch (status) {
    case 'offer':
      return 'OFFER';
    case 'ringing':
    case 'preaccept':
      return 'RINGING';
    case 'timeout':
      return 'TIMEOUT';
    case 'reject':
      return 'REJECT';
    case 'accept':
      return 'ACCEPT';
    case 'terminate':
      return 'TERMINATE';
    case 'transport':
    case 'relaylatency':
      return null;
    default:
      return assertNever(status);
  }
}

/** `call` → one `call.updated` per state change (natural key: callId, status). */
export function* translateCalls(calls: readonly WACallEvent[], ctx: TranslateContext): Generator<DraftEvent> {
  for (const call of calls) {
    const status = callStatusOf(call.status);
    if (status === null || str(call.id) === null) continue;
    const chatJid = normaliseJid(call.chatId || call.from, ctx.lids);
    const date = call.date instanceof Date ? call.date.getTime() : Number.NaN;
    yield draft(ctx, {
      type: 'call.updated',
      branch: 'wa.account.Call',
      data: {
        callId: call.id,
        fromJid: bareJid(call.from ?? ''),
        callerPn: str(call.callerPn) === null ? null : bareJid(call.callerPn ?? ''),
        chatJid,
        groupJid: str(call.groupJid) === null ? null : bareJid(call.groupJid ?? ''),
        isVideo: call.isVideo === true,
        isGroup: call.isGroup === true,
        status,
        offline: call.offline === true,
        latencyMs: toInt(call.latencyMs),
      },
      chatJid,
      occurredAt: Number.isFinite(date) && date > 0 ? date : ctx.now(),
      source: 'LIVE',
      key: [call.id, status],
    });
  }
}
