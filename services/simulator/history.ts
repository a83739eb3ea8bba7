import { proto } from '@whiskeysockets/baileys';
import type { HistoryJob } from './DeliveryQueue.js';
import { phoneJid } from './jids.js';

/** Messages per `messaging-history.set` chunk unless the link asks otherwise. */
export const DEFAULT_HISTORY_CHUNK = 1_000;
const SPACING_SECONDS = 60;

/** How many chunks a history job yields. */
export function chunkCount(job: Pick<HistoryJob, 'total' | 'chunkSize'>): number {
  return Math.ceil(job.total / job.chunkSize);
}

/** The phone number of generated history chat `index` (never a 000 number). */
export function historyChatPhone(index: number): string {
  return `1555${String(index).padStart(7, '0')}`;
}

/** The id of generated history message `index` (0 = oldest). */
export function historyMessageId(seed: string, index: number): string {
  return `3A${seed}${index.toString(16).toUpperCase().padStart(8, '0')}`;
}

/**
 * Chunk `chunk` of a history job, as the `proto.HistorySync` the phone uploads. Chunk 0 holds
 * the newest messages; every message is derived from (seed, index) alone, so a redelivered
 * chunk is identical and nothing but the job's counters is ever stored.
 */
export function historyChunk(job: HistoryJob, chunk: number): proto.HistorySync {
  const chunks = chunkCount(job);
  const newest = job.total - 1 - chunk * job.chunkSize;
  const oldest = Math.max(0, newest - job.chunkSize + 1);
  const endSeconds = Math.floor(job.endAt / 1000);
  const conversations = new Map<number, proto.IConversation & { messages: proto.IHistorySyncMsg[] }>();
  for (let index = newest; index >= oldest; index -= 1) {
    const chatIndex = index % job.chats;
    const jid = phoneJid(historyChatPhone(chatIndex));
    const timestamp = endSeconds - (job.total - 1 - index) * SPACING_SECONDS;
    const fromMe = index % 4 === 3;
    let conversation = conversations.get(chatIndex);
    if (!conversation) {
      conversation = { id: jid, name: `Contact ${chatIndex + 1}`, conversationTimestamp: timestamp, unreadCount: 0, messages: [] };
      conversations.set(chatIndex, conversation);
    }
    conversation.messages.push({
      msgOrderId: index + 1,
      message: {
        key: { remoteJid: jid, fromMe, id: historyMessageId(job.seed, index) },
        message: { conversation: `History message ${index + 1} of ${job.total}` },
        messageTimestamp: timestamp,
        ...(fromMe ? { status: proto.WebMessageInfo.Status.READ } : { pushName: `Contact ${chatIndex + 1}` }),
      },
    });
  }
  return proto.HistorySync.fromObject({
    syncType: chunk === 0 ? proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP : proto.HistorySync.HistorySyncType.RECENT,
    chunkOrder: chunk + 1,
    progress: Math.round(((chunk + 1) / chunks) * 100),
    conversations: [...conversations.values()],
  });
}
