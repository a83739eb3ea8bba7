import type { AvroCodec } from '../../../schemas/index.js';
import { KafkaProducer, recordHeaders, type OutgoingRecord } from '../../../services/shared/kafka/index.js';
import { TOPIC_SCHEMA, type ProjectedTopic } from '../../events/index.js';
import { EventFactory, key, ME, T0, type Value } from '../../readModels/testing/index.js';
import type { ProjectorTopics } from '../projectorTopics.js';

/** Topic values of a scenario, in the order one account's writer would produce them. */
export type ScenarioRecords = Record<ProjectedTopic, { accountId: string; value: Value }[]>;

/** The JID of chat `n` (1..3) of scenario account number `account`. */
export const chatOf = (account: number, n: number): string => `1666${String(account).padStart(3, '0')}${String(n).padStart(4, '0')}@s.whatsapp.net`;
/** The JID of the group of scenario account number `account`. */
export const groupOf = (account: number): string => `1203630000${String(account).padStart(6, '0')}@g.us`;

/** The webhook subscription every scenario account's messages are delivered to (one for all accounts, as an admin's would be). */
export const scenarioSubscription = (prefix = 'scenario'): string => `sub-${prefix}`;

/**
 * A realistic stream for `accounts` accounts: lifecycle, QR, contacts, chats, a group, labels,
 * `messages` messages each, receipts, reactions, edits, deletions, stars, a blocklist, command
 * results, webhook deliveries of every 4th message (every 8th delivered at once, the others
 * dead after a retry), and a few records written twice (a connector or the webhooks role
 * writing again after a crash).
 */
export function projectorScenario(accounts: number, messages: number, options: { prefix?: string; codec?: AvroCodec } = {}): ScenarioRecords {
  const out: ScenarioRecords = { conversation: [], account: [], commandResults: [], webhookAttempts: [] };
  const subscription = scenarioSubscription(options.prefix);
  for (let a = 0; a < accounts; a += 1) {
    const accountId = `${options.prefix ?? 'scenario'}-${a}`;
    const f = new EventFactory(accountId, options.codec);
    const conv = (value: Value): void => void out.conversation.push({ accountId, value });
    const acct = (value: Value): void => void out.account.push({ accountId, value });
    const hook = (value: Value): void => void out.webhookAttempts.push({ accountId, value });
    const chats = [chatOf(a, 1), chatOf(a, 2), chatOf(a, 3)];
    const group = groupOf(a);
    let t = T0 + a * 1_000_000;
    const at = (): number => (t += 1_000);

    acct(f.envelope('account.created', 'wa.account.AccountCreated', { name: `Account ${a}`, createdBy: 'admin' }, { at: at() }));
    acct(f.envelope('connection.state', 'wa.account.ConnectionStateChanged', { state: 'CONNECTING', connectionId: `c-${a}` }, { at: at() }));
    acct(f.envelope('connection.qr', 'wa.account.QrCodeIssued', { qr: `2@qr-${a}`, attempt: 1, expiresAt: t + 60_000, connectionId: `c-${a}` }, { at: at() }));
    const connected = f.envelope('connection.state', 'wa.account.ConnectionStateChanged', { state: 'CONNECTED', meJid: ME, mePhone: '15550000001', connectionId: `c-${a}` }, { at: at() });
    acct(connected);
    chats.forEach((jid, i) => acct(f.envelope('contact.upserted', 'wa.account.Contact', { jid, name: `Contact ${a}.${i}`, notify: `c${i}` }, { at: at() })));
    acct(f.envelope('group.upserted', 'wa.account.GroupMetadata', { id: group, subject: `Group ${a}`, participants: [{ jid: ME, role: 'ADMIN' }, { jid: chats[0]! }] }, { at: at() }));
    acct(f.envelope('label.upserted', 'wa.account.Label', { labelId: '1', name: 'Customer', color: 2, deleted: false }, { at: at() }));
    acct(f.envelope('label.association', 'wa.account.LabelAssociation', { labelId: '1', targetType: 'CHAT', chatJid: chats[1]!, action: 'ADD' }, { at: at() }));
    conv(f.envelope('chat.upserted', 'wa.conversation.ChatChanged', { chatJid: chats[2]!, name: 'Old friend', unreadCount: 0, archived: false }, { chatJid: chats[2]!, at: at() }));

    for (let m = 0; m < messages; m += 1) {
      const chat = m % 7 === 3 ? group : chats[m % chats.length]!;
      const fromMe = m % 3 === 1;
      const id = `${a}-M${String(m).padStart(5, '0')}`;
      const timestamp = at();
      const recorded = f.messageEnvelope({
        id,
        chat,
        type: fromMe ? 'message.sent' : 'message.received',
        text: `message ${m} of account ${a}`,
        timestamp,
        ...(chat === group && !fromMe ? { participant: chats[0]! } : {}),
      });
      conv(recorded);
      if (m % 4 === 0) {
        const eventId = String(recorded.eventId);
        const delivery = { eventType: String(recorded.type), chatJid: chat, sourceTopic: 'wa.conversation.v1', sourceOffset: m };
        if (m % 8 === 0) {
          const delivered = f.webhookAttemptValue(eventId, subscription, 1, { ...delivery, attemptedAt: at() });
          hook(delivered);
          if (m % 24 === 0) hook(delivered);
        } else {
          hook(f.webhookAttemptValue(eventId, subscription, 1, { ...delivery, outcome: 'RETRYING', statusCode: 503, latencyMs: 120, error: 'HTTP 503', attemptedAt: at(), nextAttemptAt: t + 5_000 }));
          hook(f.webhookAttemptValue(eventId, subscription, 2, { ...delivery, outcome: 'DEAD', statusCode: null, latencyMs: 10_000, error: 'timeout', attemptedAt: (t += 5_000) }));
        }
      }
      const target = key(chat, id, fromMe);
      if (fromMe) {
        conv(f.envelope('message.status', 'wa.conversation.MessageStatusChanged', { key: target, status: 'DELIVERY_ACK' }, { chatJid: chat, at: at() }));
        if (m % 2 === 0) conv(f.envelope('message.status', 'wa.conversation.MessageStatusChanged', { key: target, status: 'READ' }, { chatJid: chat, at: at() }));
        acct(f.envelope('call.updated', 'wa.account.Call', { callId: `call-${id}`, fromJid: chats[0]!, chatJid: chats[0]!, isVideo: false, isGroup: false, status: 'OFFER', offline: false }, { at: at() }));
      }
      if (m % 5 === 0) conv(f.envelope('message.reaction', 'wa.conversation.MessageReacted', { reaction: { targetKey: target, text: '👍', senderTimestamp: at() }, reactorJid: fromMe ? chats[0]! : ME }, { chatJid: chat, at: t }));
      if (m % 11 === 0) conv(f.envelope('message.edited', 'wa.conversation.MessageEdited', { targetKey: target, kind: 'TEXT', content: { 'wa.conversation.TextContent': { text: `edited ${m}` } }, editedAt: at() }, { chatJid: chat, at: t }));
      if (m % 13 === 0) conv(f.envelope('message.deleted', 'wa.conversation.MessageDeleted', { targetKey: target, scope: 'FOR_EVERYONE' }, { chatJid: chat, at: at() }));
      if (m % 17 === 0) conv(f.envelope('message.starred', 'wa.conversation.MessageStarChanged', { targetKey: target, starred: true }, { chatJid: chat, at: at() }));
      if (m % 19 === 0) {
        // The connector crashed after writing and wrote the same message event again.
        conv(f.messageEnvelope({ id, chat, type: fromMe ? 'message.sent' : 'message.received', text: `message ${m} of account ${a}`, timestamp, ...(chat === group && !fromMe ? { participant: chats[0]! } : {}) }));
      }
      if (m % 23 === 0) out.commandResults.push({ accountId, value: f.commandResultValue(`cmd-${accountId}-${id}`, { completedAt: at(), result: { 'wa.commands.MessageSentResult': { messageId: id, chatJid: chat, timestamp, status: 'SERVER_ACK' } } }) });
    }
    conv(f.envelope('chat.updated', 'wa.conversation.ChatChanged', { chatJid: chats[0]!, unreadCount: 0 }, { chatJid: chats[0]!, at: at() }));
    conv(f.envelope('chat.updated', 'wa.conversation.ChatChanged', { chatJid: chats[1]!, archived: true }, { chatJid: chats[1]!, at: at() }));
    acct(f.envelope('group.participants', 'wa.account.GroupParticipantsChanged', { groupJid: group, action: 'ADD', participants: [{ jid: chats[1]! }, { jid: chats[2]! }] }, { at: at() }));
    acct(f.envelope('group.participants', 'wa.account.GroupParticipantsChanged', { groupJid: group, action: 'REMOVE', participants: [{ jid: chats[0]! }] }, { at: at() }));
    acct(f.envelope('blocklist.changed', 'wa.account.BlocklistChanged', { action: 'ADD', jids: [chats[2]!] }, { at: at() }));
    acct(connected);
  }
  return out;
}

/** How many events a scenario has. */
export function scenarioSize(scenario: ScenarioRecords): number {
  return scenario.conversation.length + scenario.account.length + scenario.commandResults.length + scenario.webhookAttempts.length;
}

/** Writes a scenario to the topics, each account's records in order, in chunks. */
export async function produceScenario(producer: KafkaProducer, topics: ProjectorTopics, codec: AvroCodec, scenario: ScenarioRecords, chunk = 500): Promise<void> {
  for (const role of Object.keys(scenario) as ProjectedTopic[]) {
    const records: OutgoingRecord[] = scenario[role].map(({ accountId, value }) => ({
      accountId,
      value: codec.encode(TOPIC_SCHEMA[role], value),
      headers: recordHeaders({
        id: String(value.eventId ?? value.commandId ?? value.attemptId),
        type: String(value.type ?? 'webhook.attempt'),
        source: 'test',
        time: Number(value.occurredAt ?? value.completedAt ?? value.attemptedAt),
      }),
    }));
    for (let i = 0; i < records.length; i += chunk) await producer.send(topics[role], records.slice(i, i + chunk));
  }
}
