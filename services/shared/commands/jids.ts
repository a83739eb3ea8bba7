/** The kinds of WhatsApp address a command field may hold. */
export type JidKind = 'user' | 'lid' | 'group' | 'newsletter' | 'status' | 'broadcast';

// E.164 numbers have at most 15 digits; a little slack covers test networks and odd carriers.
const PATTERNS: Record<JidKind, RegExp> = {
  user: /^\d{5,20}@s\.whatsapp\.net$/,
  lid: /^\d{1,30}@lid$/,
  group: /^\d{5,30}(-\d{5,20})?@g\.us$/,
  newsletter: /^\d{5,30}@newsletter$/,
  status: /^status@broadcast$/,
  broadcast: /^\d{5,30}@broadcast$/,
};

/** Someone who can be messaged, blocked, mentioned or added to a group. */
export const PERSON: readonly JidKind[] = ['user', 'lid'];
/** A chat a message can be sent to or a chat setting applies to. */
export const CHAT: readonly JidKind[] = ['user', 'lid', 'group', 'newsletter'];
/** A chat an existing message may live in (stories live in status@broadcast). */
export const MESSAGE_CHAT: readonly JidKind[] = ['user', 'lid', 'group', 'newsletter', 'status', 'broadcast'];

/** The kind of a JID, or null when it is none of the kinds a command may use. */
export function jidKind(jid: string): JidKind | null {
  for (const kind of Object.keys(PATTERNS) as JidKind[]) if (PATTERNS[kind].test(jid)) return kind;
  return null;
}

/** True when `jid` is one of `kinds`. */
export function isJidOf(jid: string, kinds: readonly JidKind[]): boolean {
  const kind = jidKind(jid);
  return kind !== null && kinds.includes(kind);
}

/** The user part of a JID without device or agent suffix: `123:4@s.whatsapp.net` → `123`. */
export function jidUser(jid: string): string {
  return jid.split('@')[0]!.split(':')[0]!.split('_')[0]!;
}

/** A JID without its device suffix: `123:4@s.whatsapp.net` → `123@s.whatsapp.net`. */
export function bareJid(jid: string): string {
  const at = jid.indexOf('@');
  return at < 0 ? jid : `${jidUser(jid)}${jid.slice(at)}`;
}

/** True when both JIDs name the same user (device suffixes ignored). */
export function sameUser(a: string | null, b: string | null): boolean {
  return a !== null && b !== null && bareJid(a) === bareJid(b);
}

/** The digits of a phone number as written (`+1 (555) 010-0000` → `15550100000`), or null when it is not one. */
export function phoneDigits(phone: string): string | null {
  if (!/^\+?[\d\s\-().]+$/.test(phone)) return null;
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 5 && digits.length <= 20 ? digits : null;
}
