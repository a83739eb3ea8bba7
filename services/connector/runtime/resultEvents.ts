import type { AvroCodec } from '../../../schemas/index.js';
import { digest, eventId, type AvroValue, type DraftEvent } from '../events/index.js';

/** Commands whose outcome only their result tells (no Baileys event carries it): the event is made from the result. */
const FROM_RESULT: Record<string, { type: string; schema: string }> = {
  'business.profile.update': { type: 'business.profile', schema: 'wa.account.BusinessProfile' },
  'newsletter.create': { type: 'newsletter.upserted', schema: 'wa.account.NewsletterMetadata' },
};

/** The account events a command's result stands for (natural key: jid, occurredAt, digest(data)). */
export function eventsFromResult(commandType: string, result: AvroValue | null, context: { accountId: string; causationId: string; now: number; codec: AvroCodec }): DraftEvent[] {
  const spec = FROM_RESULT[commandType];
  const record = spec ? (result?.[spec.schema] as AvroValue | undefined) : undefined;
  if (!spec || !record) return [];
  return [
    {
      topic: 'account',
      eventId: eventId(spec.type, context.accountId, [record['jid'] as string | null, context.now, digest(context.codec.encodeBody(spec.schema, record))]),
      type: spec.type,
      chatJid: null,
      occurredAt: context.now,
      source: 'COMMAND',
      causationId: context.causationId,
      data: { [spec.schema]: record },
    },
  ];
}
