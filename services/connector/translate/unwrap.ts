import type { proto } from '@whiskeysockets/baileys';

/** `wa.conversation.MessageWrapper` symbols, by the proto field of the wrapper. */
const WRAPPERS: ReadonlyArray<readonly [field: string, symbol: string]> = [
  ['ephemeralMessage', 'EPHEMERAL'],
  ['viewOnceMessage', 'VIEW_ONCE'],
  ['viewOnceMessageV2', 'VIEW_ONCE_V2'],
  ['viewOnceMessageV2Extension', 'VIEW_ONCE_V2_EXTENSION'],
  ['documentWithCaptionMessage', 'DOCUMENT_WITH_CAPTION'],
  ['deviceSentMessage', 'DEVICE_SENT'],
  ['editedMessage', 'EDITED'],
  ['groupMentionedMessage', 'GROUP_MENTIONED'],
  ['botInvokeMessage', 'BOT_INVOKE'],
  ['lottieStickerMessage', 'LOTTIE_STICKER'],
  ['associatedChildMessage', 'ASSOCIATED_CHILD'],
  ['statusMentionMessage', 'STATUS_MENTION'],
  // Wrappers Baileys also removes (normalizeMessageContent) that the enum does not name yet.
  ['groupStatusMessage', 'UNKNOWN'],
  ['groupStatusMessageV2', 'UNKNOWN'],
  ['groupStatusMentionMessage', 'UNKNOWN'],
];

const MAX_DEPTH = 8;

/** A message with its wrappers removed. */
export interface Unwrapped {
  /** The innermost content; null when the message has none (stubs, placeholders). */
  content: proto.IMessage | null;
  /** Wrapper symbols, outermost first. */
  wrappers: string[];
  /** The first `messageContextInfo` met from the outside in (message secret, album association, pin duration). */
  messageContextInfo: proto.IMessageContextInfo | null;
  /** `deviceSentMessage.destinationJid`, for own messages relayed by the phone. */
  destinationJid: string | null;
}

/** Removes ephemeral, view-once, document-with-caption, device-sent... wrappers, remembering them. */
export function unwrapMessage(message: proto.IMessage | null | undefined): Unwrapped {
  const wrappers: string[] = [];
  let content: proto.IMessage | null = message ?? null;
  let messageContextInfo: proto.IMessageContextInfo | null = null;
  let destinationJid: string | null = null;
  for (let depth = 0; content !== null && depth < MAX_DEPTH; depth++) {
    messageContextInfo ??= content.messageContextInfo ?? null;
    const found = WRAPPERS.find(([field]) => innerOf(content, field) !== null);
    if (found === undefined) break;
    const [field, symbol] = found;
    if (field === 'deviceSentMessage') destinationJid ??= content.deviceSentMessage?.destinationJid ?? null;
    wrappers.push(symbol);
    content = innerOf(content, field);
  }
  return { content, wrappers, messageContextInfo, destinationJid };
}

function innerOf(message: proto.IMessage | null, field: string): proto.IMessage | null {
  const wrapper = (message as Record<string, { message?: proto.IMessage | null } | null | undefined> | null)?.[field];
  return wrapper?.message ?? null;
}
