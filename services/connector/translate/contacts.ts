import type { Contact } from '@whiskeysockets/baileys';
import type { AvroValue, DraftEvent, EventSource } from '../events/index.js';
import { digestOf, draft } from './draft.js';
import { bareJid, isLid, isMe, isPn, learnMapping, normaliseJid, ownJids } from './jids.js';
import type { TranslateContext } from './TranslateContext.js';
import { str } from './values.js';

const CONTACT_BRANCH = 'wa.account.Contact';
const PROFILE_BRANCH = 'wa.account.Profile';

const has = (contact: object, field: string): boolean => Object.prototype.hasOwnProperty.call(contact, field);

/**
 * `wa.account.Contact` of a Baileys contact. In an update only the fields present changed;
 * `imgUrl` follows Baileys: a URL, `changed`, or null / `removed` for the default picture.
 */
export function contactRecord(contact: Partial<Contact>, ctx: TranslateContext): AvroValue {
  const jid = bareJid(contact.id ?? '');
  const lid = str(contact.lid) === null ? (isLid(jid) ? jid : null) : bareJid(contact.lid ?? '');
  const phoneNumber = str(contact.phoneNumber) === null ? (isPn(jid) ? jid : lid === null ? null : (ctx.lids.pnForLid(lid) ?? null)) : bareJid(contact.phoneNumber ?? '');
  const record: AvroValue = {
    jid,
    lid,
    phoneNumber,
    name: str(contact.name),
    notify: str(contact.notify),
    verifiedName: str(contact.verifiedName),
    pictureState: null,
    pictureUrl: null,
    statusText: str(contact.status),
    isBusiness: null,
  };
  if (has(contact, 'imgUrl')) {
    const url = contact.imgUrl;
    record.pictureState = url === 'changed' ? 'CHANGED' : url === null || url === undefined || url === 'removed' ? 'REMOVED' : 'SET';
    record.pictureUrl = record.pictureState === 'SET' ? url : null;
  }
  return record;
}

/**
 * `contacts.upsert` / `contacts.update` (and history-sync contacts) → `contact.upserted` /
 * `contact.updated`, learning their LID / PN pairs. An update of this account itself (its push
 * name, about or picture, as Baileys reports them) is `profile.updated`.
 */
export function* translateContacts(contacts: ReadonlyArray<Partial<Contact>>, mode: 'upserted' | 'updated', ctx: TranslateContext, source: EventSource): Generator<DraftEvent> {
  for (const contact of contacts) {
    if (str(contact.id) === null) continue;
    const occurredAt = ctx.now();
    const id = contact.id ?? '';
    const learnt = learnMapping(ctx, contact.lid ?? id, contact.phoneNumber ?? id, 'CONTACT', source, occurredAt);
    if (learnt !== null) yield learnt;
    const data = contactRecord(contact, ctx);
    if (mode === 'updated' && isMe(id, ctx)) {
      yield profileUpdated(data, ctx, occurredAt, source);
      continue;
    }
    yield draft(ctx, {
      type: `contact.${mode}`,
      branch: CONTACT_BRANCH,
      data,
      chatJid: normaliseJid(id, ctx.lids),
      occurredAt,
      source,
      key: [String(data.jid), occurredAt, digestOf(ctx, CONTACT_BRANCH, data)],
    });
  }
}

/** `profile.updated` of an update to this account's own contact: only the fields present changed. */
function profileUpdated(contact: AvroValue, ctx: TranslateContext, occurredAt: number, source: EventSource): DraftEvent {
  const jid = ownJids(ctx).pn ?? String(contact.jid);
  const data: AvroValue = {
    jid,
    name: contact.notify ?? contact.name ?? null,
    statusText: contact.statusText ?? null,
    statusSetAt: null,
    pictureState: contact.pictureState ?? null,
    pictureUrl: contact.pictureUrl ?? null,
    pictureId: null,
  };
  return draft(ctx, {
    type: 'profile.updated',
    branch: PROFILE_BRANCH,
    data,
    chatJid: null,
    occurredAt,
    source,
    key: [jid, occurredAt, digestOf(ctx, PROFILE_BRANCH, data)],
  });
}
