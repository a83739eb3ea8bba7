import type { CommandPayload, MessageTargetValue, SendableContent } from '../../../shared/commands/index.js';

/** What a send asks for besides the recipient and the content. */
export interface SendOptions {
  quoted?: MessageTargetValue | null;
  mentions?: readonly string[];
  mentionAll?: boolean;
  viewOnce?: boolean;
  ephemeralExpirationSeconds?: number | null;
  linkPreview?: boolean;
  messageId?: string | null;
}

/** The `message.send` payload: `{ 'wa.commands.SendMessage': {...} }` for a JID the caller already normalised. */
export function sendMessageCommand(to: string, content: SendableContent, options: SendOptions = {}): CommandPayload {
  return {
    'wa.commands.SendMessage': {
      to,
      content,
      quoted: options.quoted ?? null,
      mentions: [...(options.mentions ?? [])],
      mentionAll: options.mentionAll ?? false,
      viewOnce: options.viewOnce ?? false,
      ephemeralExpirationSeconds: options.ephemeralExpirationSeconds ?? null,
      linkPreview: options.linkPreview ?? true,
      messageId: options.messageId ?? null,
    },
  };
}
