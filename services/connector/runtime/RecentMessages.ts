import type { WAMessage } from '@whiskeysockets/baileys';

/**
 * The latest messages of one account, by chat and id, bounded: what forwards, quoted
 * replies and targets with an unknown `fromMe` need to find (Baileys' `getMessage` role).
 */
export class RecentMessages {
  private readonly messages = new Map<string, WAMessage>();

  constructor(private readonly capacity = 2_000) {}

  /** Remembers messages (the newest copy wins); the oldest fall out beyond the capacity. */
  remember(messages: Iterable<WAMessage>): void {
    for (const message of messages) {
      const { remoteJid, id } = message.key ?? {};
      if (!remoteJid || !id || !message.message) continue;
      const key = `${remoteJid}\u001f${id}`;
      this.messages.delete(key);
      this.messages.set(key, message);
      if (this.messages.size > this.capacity) this.messages.delete(this.messages.keys().next().value!);
    }
  }

  /** A remembered message, or null. */
  find(chatJid: string, id: string): WAMessage | null {
    return this.messages.get(`${chatJid}\u001f${id}`) ?? null;
  }
}
