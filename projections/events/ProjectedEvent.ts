import { WaError } from '../../services/shared/index.js';
import type * as Avro from './avroTypes.js';

/** The topics the projector reads, by role. */
export type ProjectedTopic = 'conversation' | 'account' | 'commandResults' | 'webhookAttempts';

/** Envelope fields every projected event has (command results get theirs from the result). */
export interface EventMeta {
  eventId: string;
  accountId: string;
  chatJid: string | null;
  sequence: number;
  occurredAt: number;
  recordedAt: number;
  correlationId: string;
  causationId: string | null;
  source: Avro.EventSource;
  driver: string | null;
}

// Which data branch each event type carries (schemas/README.md, "Event types").
const CONVERSATION_BRANCHES = {
  'message.received': 'MessageRecorded',
  'message.sent': 'MessageRecorded',
  'message.history': 'MessageRecorded',
  'story.received': 'MessageRecorded',
  'story.posted': 'MessageRecorded',
  'message.status': 'MessageStatusChanged',
  'message.reaction': 'MessageReacted',
  'message.edited': 'MessageEdited',
  'message.deleted': 'MessageDeleted',
  'story.deleted': 'MessageDeleted',
  'message.starred': 'MessageStarChanged',
  'message.unstarred': 'MessageStarChanged',
  'message.pinned': 'MessagePinChanged',
  'message.unpinned': 'MessagePinChanged',
  'poll.vote': 'PollVoted',
  'message.media': 'MessageMediaUpdated',
  'chat.upserted': 'ChatChanged',
  'chat.updated': 'ChatChanged',
  'chat.deleted': 'ChatDeleted',
  'chat.cleared': 'ChatCleared',
  'history.sync': 'HistorySyncProgress',
} as const;

const ACCOUNT_BRANCHES = {
  'account.created': 'AccountCreated',
  'account.updated': 'AccountUpdated',
  'account.deleted': 'AccountDeleted',
  'connection.qr': 'QrCodeIssued',
  'connection.pairing_code': 'PairingCodeIssued',
  'connection.state': 'ConnectionStateChanged',
  'contact.upserted': 'Contact',
  'contact.updated': 'Contact',
  'lid.mapping': 'LidMapping',
  'group.upserted': 'GroupMetadata',
  'group.updated': 'GroupMetadata',
  'group.participants': 'GroupParticipantsChanged',
  'group.join_request': 'GroupJoinRequest',
  'label.upserted': 'Label',
  'label.deleted': 'Label',
  'label.association': 'LabelAssociation',
  'profile.updated': 'Profile',
  'business.profile': 'BusinessProfile',
  'blocklist.changed': 'BlocklistChanged',
  'call.updated': 'Call',
  'newsletter.upserted': 'NewsletterMetadata',
  'newsletter.updated': 'NewsletterMetadata',
  'newsletter.participant': 'NewsletterParticipantChanged',
  'newsletter.reaction': 'NewsletterMessageStats',
  'newsletter.view': 'NewsletterMessageStats',
} as const;

interface ConversationData {
  MessageRecorded: Avro.MessageRecorded;
  MessageStatusChanged: Avro.MessageStatusChanged;
  MessageReacted: Avro.MessageReacted;
  MessageEdited: Avro.MessageEdited;
  MessageDeleted: Avro.MessageDeleted;
  MessageStarChanged: Avro.MessageStarChanged;
  MessagePinChanged: Avro.MessagePinChanged;
  PollVoted: Avro.PollVoted;
  MessageMediaUpdated: Avro.MessageMediaUpdated;
  ChatChanged: Avro.ChatChanged;
  ChatDeleted: Avro.ChatDeleted;
  ChatCleared: Avro.ChatCleared;
  HistorySyncProgress: Avro.HistorySyncProgress;
}

interface AccountData {
  AccountCreated: Avro.AccountCreated;
  AccountUpdated: Avro.AccountUpdated;
  AccountDeleted: Avro.AccountDeleted;
  QrCodeIssued: Avro.QrCodeIssued;
  PairingCodeIssued: Avro.PairingCodeIssued;
  ConnectionStateChanged: Avro.ConnectionStateChanged;
  Contact: Avro.Contact;
  LidMapping: Avro.LidMapping;
  GroupMetadata: Avro.GroupMetadata;
  GroupParticipantsChanged: Avro.GroupParticipantsChanged;
  GroupJoinRequest: Avro.GroupJoinRequest;
  Label: Avro.Label;
  LabelAssociation: Avro.LabelAssociation;
  Profile: Avro.Profile;
  BusinessProfile: Avro.BusinessProfile;
  BlocklistChanged: Avro.BlocklistChanged;
  Call: Avro.Call;
  NewsletterMetadata: Avro.NewsletterMetadata;
  NewsletterParticipantChanged: Avro.NewsletterParticipantChanged;
  NewsletterMessageStats: Avro.NewsletterMessageStats;
}

export type ConversationEventType = keyof typeof CONVERSATION_BRANCHES;
export type AccountEventType = keyof typeof ACCOUNT_BRANCHES;

/** Every conversation event type the read models know. */
export const CONVERSATION_EVENT_TYPES = Object.keys(CONVERSATION_BRANCHES) as ConversationEventType[];
/** Every account event type the read models know. */
export const ACCOUNT_EVENT_TYPES = Object.keys(ACCOUNT_BRANCHES) as AccountEventType[];

/** A conversation event whose `data` is the branch its type carries. */
export type ConversationEvent = {
  [T in ConversationEventType]: EventMeta & { topic: 'conversation'; type: T; data: ConversationData[(typeof CONVERSATION_BRANCHES)[T]] };
}[ConversationEventType];

/** An account event whose `data` is the branch its type carries. */
export type AccountEvent = {
  [T in AccountEventType]: EventMeta & { topic: 'account'; type: T; data: AccountData[(typeof ACCOUNT_BRANCHES)[T]] };
}[AccountEventType];

/** A command result, seen by the read models as one more event. */
export type CommandResultEvent = EventMeta & { topic: 'commandResults'; type: 'command.result'; data: Avro.CommandResult };

/** One line of the webhook delivery log, seen by the read models as one more event. */
export type WebhookAttemptEvent = EventMeta & { topic: 'webhookAttempts'; type: 'webhook.attempt'; data: Avro.WebhookAttempt };

/** Everything a read model's evolve is given. */
export type ProjectedEvent = ConversationEvent | AccountEvent | CommandResultEvent | WebhookAttemptEvent;

/** The full name of the envelope (or record) schema each projected topic carries. */
export const TOPIC_SCHEMA: Record<ProjectedTopic, string> = {
  conversation: 'wa.conversation.ConversationEvent',
  account: 'wa.account.AccountEvent',
  commandResults: 'wa.commands.CommandResult',
  webhookAttempts: 'wa.webhooks.WebhookAttempt',
};

type EnvelopeValue = Omit<EventMeta, never> & { type: string; data: Record<string, unknown> };

function envelopeMeta(value: EnvelopeValue): EventMeta {
  const { eventId, accountId, chatJid, sequence, occurredAt, recordedAt, correlationId, causationId, source, driver } = value;
  return { eventId, accountId, chatJid, sequence, occurredAt, recordedAt, correlationId, causationId, source, driver };
}

function branchData(value: EnvelopeValue, namespace: string, branch: string): unknown {
  const data = value.data[`${namespace}.${branch}`];
  if (data === undefined) {
    throw new WaError('CODEC', `${value.type} event ${value.eventId} carries ${Object.keys(value.data).join(', ')} instead of ${namespace}.${branch}`);
  }
  return data;
}

/**
 * A decoded topic value (resolved into the current reader schema) as a typed event; null for an
 * event type this build does not know (a newer producer), which the read models skip.
 */
export function toProjectedEvent(topic: ProjectedTopic, decoded: unknown): ProjectedEvent | null {
  switch (topic) {
    case 'conversation': {
      const value = decoded as EnvelopeValue;
      if (!Object.hasOwn(CONVERSATION_BRANCHES, value.type)) return null;
      const type = value.type as ConversationEventType;
      return { ...envelopeMeta(value), topic, type, data: branchData(value, 'wa.conversation', CONVERSATION_BRANCHES[type]) } as ConversationEvent;
    }
    case 'account': {
      const value = decoded as EnvelopeValue;
      if (!Object.hasOwn(ACCOUNT_BRANCHES, value.type)) return null;
      const type = value.type as AccountEventType;
      return { ...envelopeMeta(value), topic, type, data: branchData(value, 'wa.account', ACCOUNT_BRANCHES[type]) } as AccountEvent;
    }
    case 'commandResults': {
      const result = decoded as Avro.CommandResult;
      return {
        eventId: `command-result:${result.commandId}`,
        accountId: result.accountId,
        chatJid: null,
        sequence: 0,
        occurredAt: result.completedAt,
        recordedAt: result.completedAt,
        correlationId: result.correlationId,
        causationId: result.commandId,
        source: 'COMMAND',
        driver: null,
        topic,
        type: 'command.result',
        data: result,
      };
    }
    case 'webhookAttempts': {
      const attempt = decoded as Avro.WebhookAttempt;
      // The attempt is caused by the event it delivers; its delivery ties the attempts of one event and subscription together.
      return {
        eventId: attempt.attemptId,
        accountId: attempt.accountId,
        chatJid: attempt.chatJid,
        sequence: 0,
        occurredAt: attempt.attemptedAt,
        recordedAt: attempt.attemptedAt,
        correlationId: attempt.deliveryId,
        causationId: attempt.eventId,
        source: 'SYSTEM',
        driver: null,
        topic,
        type: 'webhook.attempt',
        data: attempt,
      };
    }
    default: {
      const unreachable: never = topic;
      throw new WaError('INTERNAL', `unknown projected topic ${String(unreachable)}`);
    }
  }
}
