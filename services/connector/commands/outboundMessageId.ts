import { createHash } from 'node:crypto';

/**
 * The WhatsApp message id a command sends under: `3EB0` + 18 uppercase hex digits of
 * SHA-256(commandId), the shape and length of Baileys' `generateMessageIDV2`. Being derived
 * from the commandId, a command executed again after a crash re-sends the same id and
 * WhatsApp de-duplicates it. `part` tells apart several messages of one command (a forward to
 * many recipients).
 */
export function outboundMessageId(commandId: string, part?: string): string {
  const seed = part === undefined ? commandId : `${commandId}\u001f${part}`;
  return `3EB0${createHash('sha256').update(seed, 'utf8').digest('hex').slice(0, 18).toUpperCase()}`;
}
