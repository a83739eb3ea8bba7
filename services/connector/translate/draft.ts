import { digest, eventId, type AvroValue, type DraftEvent, type EventSource, type EventTopicName } from '../events/index.js';
import { WaError } from '../../shared/index.js';
import type { TranslateContext } from './TranslateContext.js';

const TOPIC_OF_NAMESPACE: Record<string, EventTopicName> = {
  'wa.conversation': 'conversation',
  'wa.account': 'account',
  'wa.presence': 'presence',
};

const MESSAGE_FAMILY_TYPES: ReadonlySet<string> = new Set(['message.received', 'message.sent', 'message.history', 'story.received', 'story.posted']);

/** One event to build: the natural key parts follow the tables of schemas/README.md. */
export interface DraftSpec {
  type: string;
  /** Full name of the data branch, e.g. `wa.conversation.MessageRecorded`; its namespace picks the topic. */
  branch: string;
  data: AvroValue;
  chatJid: string | null;
  occurredAt: number;
  /** The source when the context does not force one. */
  source: EventSource;
  /** Natural key parts after accountId. */
  key: ReadonlyArray<string | number | boolean | null | undefined>;
}

/** Builds a DraftEvent: topic from the branch, eventId from the natural key, context source and causation. */
export function draft(ctx: TranslateContext, spec: DraftSpec): DraftEvent {
  const namespace = spec.branch.slice(0, spec.branch.lastIndexOf('.'));
  const topic = TOPIC_OF_NAMESPACE[namespace];
  if (topic === undefined) throw new WaError('INTERNAL', `no event topic carries ${spec.branch}`);
  const family = MESSAGE_FAMILY_TYPES.has(spec.type) ? 'message' : spec.type;
  return {
    topic,
    eventId: eventId(family, ctx.accountId, spec.key),
    type: spec.type,
    chatJid: spec.chatJid,
    occurredAt: spec.occurredAt,
    source: ctx.source ?? spec.source,
    causationId: ctx.causationId,
    data: { [spec.branch]: spec.data },
  };
}

/** `digest(data)` of the README: hex SHA-256 of the Avro binary encoding of a data branch. */
export function digestOf(ctx: TranslateContext, branch: string, data: AvroValue): string {
  return digest(ctx.codec.encodeBody(branch, data));
}
