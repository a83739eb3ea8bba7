import type { MessageFact } from '../rows/analyticsRows.js';

let sequence = 0;

/** One row of the `messages` fact table as the projection writes it, each with an id and offset of its own. */
export function messageFact(accountId: string, direction: 'inbound' | 'outbound', sentAt: string, chatJid = '15550001111@s.whatsapp.net'): MessageFact {
  sequence += 1;
  return {
    account_id: accountId,
    event_id: `event-${sequence}`,
    event_type: direction === 'inbound' ? 'message.received' : 'message.sent',
    message_id: `M${sequence}`,
    chat_jid: chatJid,
    chat_kind: chatJid === 'status@broadcast' ? 'status' : 'user',
    direction,
    origin: 'live',
    content_type: 'text',
    from_me: direction === 'outbound' ? 1 : 0,
    text_length: 5,
    media_bytes: 0,
    sent_at: sentAt,
    recorded_at: sentAt,
    src_partition: 0,
    src_offset: sequence,
  };
}
