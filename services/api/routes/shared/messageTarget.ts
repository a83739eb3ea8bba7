import type { MessageTargetValue } from '../../../shared/commands/index.js';
import { isJidOf } from '../../../shared/commands/index.js';
import type { MessageRow, ReadModels } from '../../../../projections/readModels/index.js';

/**
 * The target of a react / delete / star / pin: what the read model knows of the message fills
 * `fromMe` and, in groups, the sender WhatsApp needs in the key; unknown stays null.
 */
export function targetFromRow(chatJid: string, messageId: string, row: MessageRow | null): MessageTargetValue {
  const known = row !== null && row.chatJid === chatJid && row.messageId === messageId ? row : null;
  const participant = known !== null && !known.fromMe && isJidOf(chatJid, ['group']) && known.senderJid !== null ? known.senderJid : null;
  return { chatJid, messageId, fromMe: known?.fromMe ?? null, participant };
}

/** `targetFromRow` with the row looked up in the read model. */
export async function messageTarget(reads: ReadModels, accountId: string, chatJid: string, messageId: string): Promise<MessageTargetValue> {
  return targetFromRow(chatJid, messageId, await reads.message(accountId, messageId));
}
