// Realistic records for tests and benchmarks, shaped as the contracts in schemas/ define them.
const NOW = 1_731_990_000_000;

/** A `message.received` conversation event: a text from a phone-number chat. */
export function textReceivedEvent(accountId: string, index: number): Record<string, unknown> {
  const chatJid = `91987654${String(index % 10_000).padStart(4, '0')}@s.whatsapp.net`;
  return {
    eventId: `evt-${accountId}-${index}`,
    type: 'message.received',
    accountId,
    chatJid,
    sequence: index,
    occurredAt: NOW + index,
    recordedAt: NOW + index + 35,
    correlationId: `batch-${index}`,
    causationId: null,
    source: 'LIVE',
    driver: 'simulator',
    data: {
      'wa.conversation.MessageRecorded': {
        message: {
          key: { remoteJid: chatJid, id: `3EB0${index.toString(16).toUpperCase().padStart(12, '0')}`, fromMe: false },
          senderJid: chatJid,
          pushName: 'John',
          timestamp: NOW + index,
          kind: 'TEXT',
          content: { 'wa.conversation.TextContent': { text: `Hello! How are you? #${index}` } },
        },
        direction: 'INBOUND',
        upsertType: 'NOTIFY',
      },
    },
  };
}

/** A `message.send` command with a text, as the API writes it. */
export function sendTextCommand(accountId: string, index: number): Record<string, unknown> {
  return {
    commandId: `cmd-${accountId}-${index}`,
    accountId,
    type: 'message.send',
    issuedAt: NOW + index,
    deadline: NOW + index + 30_000,
    correlationId: `req-${index}`,
    idempotencyKey: null,
    requestedBy: 'admin',
    payload: {
      'wa.commands.SendMessage': {
        to: '919876543210@s.whatsapp.net',
        content: { 'wa.conversation.TextContent': { text: `Reply #${index}` } },
      },
    },
  };
}
