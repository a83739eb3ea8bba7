import type { Avro } from '../../../projections/events/index.js';
import { WaError } from '../../shared/index.js';

/**
 * A record of any event topic a connector writes, exactly as `codec.decode(value, <envelope
 * schema>).value` gives it: envelope fields, `data` still wrapped by its branch's full name.
 */
export type WebhookEvent = Avro.ConversationEvent | Avro.AccountEvent | Avro.PresenceEvent;

/** `wa.webhooks.PayloadFormat`. */
export type PayloadFormat = Avro.PayloadFormat;

/** Every event type of wa.presence.v1 (schemas/README.md). */
export const PRESENCE_EVENT_TYPES = ['presence.updated', 'presence.self'] as const;

/** The union of the `data` wrappers of every event topic. */
export type EventData = WebhookEvent['data'];

type KeysOfUnion<U> = U extends unknown ? keyof U : never;

/** The full name of every data branch of every event topic (`wa.conversation.MessageRecorded`...). */
export type BranchName = KeysOfUnion<EventData>;

/** The record a branch name carries. */
export type BranchValue<N extends BranchName, U = EventData> = U extends { [K in N]: infer V } ? V : never;

/** The branch name and record of an event's `data`. */
export function branchOf(event: WebhookEvent): [BranchName, unknown] {
  const [entry] = Object.entries(event.data);
  if (entry === undefined) throw new WaError('CODEC', `${event.type} event ${event.eventId} has no data branch`);
  return entry as [BranchName, unknown];
}
