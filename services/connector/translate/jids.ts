import type { DraftEvent, EventSource } from '../events/index.js';
import { draft } from './draft.js';
import type { LidDirectory, TranslateContext } from './TranslateContext.js';

/** The chat of statuses (stories). */
export const STATUS_JID = 'status@broadcast';

/** A JID without device or agent suffix, `c.us` / hosted forms folded into `s.whatsapp.net` / `lid`. */
export function bareJid(jid: string): string {
  const at = jid.indexOf('@');
  if (at < 0) return jid;
  // The user part ends at the first device (`:`) or agent (`_`) suffix before the `@`.
  let end = at;
  const device = jid.indexOf(':');
  if (device >= 0 && device < end) end = device;
  const agent = jid.indexOf('_');
  if (agent >= 0 && agent < end) end = agent;
  let server = jid.slice(at + 1);
  if (server === 'c.us' || server === 'hosted') server = 's.whatsapp.net';
  else if (server === 'hosted.lid') server = 'lid';
  // Already bare (nearly every JID on the hot path): no new string.
  else if (end === at) return jid;
  return `${jid.slice(0, end)}@${server}`;
}

/** The chat id of the envelope: device suffix removed, and the phone-number JID when a LID's PN is known. */
export function normaliseJid(jid: string, lids: LidDirectory): string {
  const bare = bareJid(jid);
  return isLid(bare) ? (lids.pnForLid(bare) ?? bare) : bare;
}

/** Same as normaliseJid for optional values. */
export function normaliseOptional(jid: string | null | undefined, lids: LidDirectory): string | null {
  return typeof jid === 'string' && jid.length > 0 ? normaliseJid(jid, lids) : null;
}

/** Jid kind tests (any device suffix). */
export const isLid = (jid: string | null | undefined): boolean => typeof jid === 'string' && (jid.endsWith('@lid') || jid.endsWith('@hosted.lid'));
export const isPn = (jid: string | null | undefined): boolean =>
  typeof jid === 'string' && (jid.endsWith('@s.whatsapp.net') || jid.endsWith('@c.us') || jid.endsWith('@hosted'));
export const isGroup = (jid: string | null | undefined): boolean => typeof jid === 'string' && jid.endsWith('@g.us');
export const isStatus = (jid: string | null | undefined): boolean => jid === STATUS_JID;
export const isBroadcast = (jid: string | null | undefined): boolean => typeof jid === 'string' && jid.endsWith('@broadcast');
export const isNewsletter = (jid: string | null | undefined): boolean => typeof jid === 'string' && jid.endsWith('@newsletter');

/** The PN and LID forms of a user JID, from itself, an alternate and the directory. */
export function userForms(jid: string | null | undefined, alt: string | null | undefined, lids: LidDirectory): { pn: string | null; lid: string | null } {
  const forms = [jid, alt].filter((j): j is string => typeof j === 'string' && j.length > 0).map(bareJid);
  const lid = forms.find(isLid) ?? null;
  const pn = forms.find(isPn) ?? (lid === null ? null : (lids.pnForLid(lid) ?? null));
  return { pn, lid };
}

/** This account's own JIDs without device suffix (the context may hold Baileys' `creds.me.id` as is). */
export function ownJids(ctx: TranslateContext): { pn: string | null; lid: string | null } {
  return { pn: ctx.meJid === null ? null : bareJid(ctx.meJid), lid: ctx.meLid === null ? null : bareJid(ctx.meLid) };
}

/** True when the JID is this account (either form). */
export function isMe(jid: string | null | undefined, ctx: TranslateContext): boolean {
  if (typeof jid !== 'string' || jid.length === 0) return false;
  const bare = bareJid(jid);
  const me = ownJids(ctx);
  return bare === me.pn || bare === me.lid || (isLid(bare) && me.pn !== null && ctx.lids.pnForLid(bare) === me.pn);
}

/** `wa.account.LidMappingSource` symbols. */
export type LidMappingSource = 'LID_MAPPING_UPDATE' | 'PHONE_NUMBER_SHARE' | 'CONTACT' | 'GROUP_METADATA' | 'MESSAGE_KEY';

/** The `lid.mapping` event of a LID / PN pair, remembering it; null when the pair is not one LID and one PN. */
export function lidMappingEvent(ctx: TranslateContext, lidJid: string, pnJid: string, mappingSource: LidMappingSource, source: EventSource, occurredAt: number): DraftEvent | null {
  const lid = bareJid(lidJid);
  const pn = bareJid(pnJid);
  if (!isLid(lid) || !isPn(pn)) return null;
  // A pair of our own LID with someone else's number (or the reverse) is Baileys echoing our own
  // alternate on a key: learning it would merge a contact's chat into ours.
  const me = ownJids(ctx);
  if ((lid === me.lid) !== (pn === me.pn) && me.lid !== null && me.pn !== null) return null;
  ctx.lids.remember(lid, pn);
  return draft(ctx, {
    type: 'lid.mapping',
    branch: 'wa.account.LidMapping',
    data: { lid, pn, source: mappingSource },
    chatJid: pn,
    occurredAt,
    source,
    key: [lid, pn],
  });
}

/**
 * Learns a mapping from two forms of the same user found on a key, a contact or a group member;
 * returns the `lid.mapping` event only when the directory did not know it yet.
 */
export function learnMapping(
  ctx: TranslateContext,
  jid: string | null | undefined,
  alt: string | null | undefined,
  mappingSource: LidMappingSource,
  source: EventSource,
  occurredAt: number,
): DraftEvent | null {
  if (typeof jid !== 'string' || typeof alt !== 'string' || jid.length === 0 || alt.length === 0) return null;
  const a = bareJid(jid);
  const b = bareJid(alt);
  const lid = isLid(a) ? a : isLid(b) ? b : null;
  const pn = isPn(a) ? a : isPn(b) ? b : null;
  if (lid === null || pn === null || ctx.lids.pnForLid(lid) === pn) return null;
  return lidMappingEvent(ctx, lid, pn, mappingSource, source, occurredAt);
}
