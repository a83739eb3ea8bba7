import type { CommandResultValue } from '../../ApiServices.js';
import { resultBranch } from '../../http/commandOutcome.js';
import { z } from 'zod';

/** `wa.commands.MessageSentResult` as decoded. */
export interface MessageSentResultValue {
  messageId: string;
  chatJid: string;
  timestamp: number;
  status: string;
}

/** The documented answer of a send: `{ messageId }` beside `ok` / `success`. */
export const sentMessageSchema = z.object({ messageId: z.string().meta({ example: '3EB0123ABCD456EF' }) });
export type SentMessageBody = z.infer<typeof sentMessageSchema>;

/** The answer body of a succeeded send (message.send, react, pin...): the WhatsApp message id. */
export function sentMessageBody(result: CommandResultValue): SentMessageBody {
  return { messageId: resultBranch<MessageSentResultValue>(result, 'wa.commands.MessageSentResult').messageId };
}
