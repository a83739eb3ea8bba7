import type { GroupMetadata, GroupParticipant, NewsletterMetadata, WABusinessProfile, WAMessage } from '@whiskeysockets/baileys';
import type { AvroValue } from '../events/index.js';

/** proto.WebMessageInfo.Status by number, as `wa.conversation.MessageStatus` symbols. */
const MESSAGE_STATUS = ['ERROR', 'PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED'] as const;

/** A Baileys long (number, protobuf Long or numeric string) as a number, or null. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

/** Seconds since the epoch (WhatsApp's unit) as milliseconds, or null. */
export function secondsToMillis(value: unknown): number | null {
  const seconds = toNumber(value);
  return seconds === null ? null : seconds * 1000;
}

/**
 * `wa.commands.MessageSentResult` of a message Baileys sent. `sendMessage` resolves once the
 * stanza was relayed to WhatsApp's server, so a message still marked PENDING by Baileys is
 * reported as SERVER_ACK, the state the contract promises for a sent message.
 */
export function messageSentResult(sent: WAMessage, chatJid: string, now: number): AvroValue {
  const status = sent.status === null || sent.status === undefined ? null : MESSAGE_STATUS[sent.status];
  return {
    'wa.commands.MessageSentResult': {
      messageId: sent.key.id ?? '',
      chatJid: sent.key.remoteJid ?? chatJid,
      timestamp: secondsToMillis(sent.messageTimestamp) ?? now,
      status: status === undefined || status === null || status === 'PENDING' ? 'SERVER_ACK' : status,
    },
  };
}

/** `wa.account.GroupMetadata` of Baileys' `GroupMetadata`. */
export function groupMetadataRecord(meta: GroupMetadata): AvroValue {
  return {
    id: meta.id,
    subject: meta.subject ?? null,
    subjectOwner: meta.subjectOwner ?? null,
    subjectOwnerPn: meta.subjectOwnerPn ?? null,
    subjectTime: secondsToMillis(meta.subjectTime),
    description: meta.desc ?? null,
    descId: meta.descId ?? null,
    descOwner: meta.descOwner ?? null,
    descOwnerPn: meta.descOwnerPn ?? null,
    descTime: secondsToMillis(meta.descTime),
    owner: meta.owner ?? null,
    ownerPn: meta.ownerPn ?? null,
    ownerCountryCode: meta.owner_country_code ?? null,
    creation: secondsToMillis(meta.creation),
    restrict: meta.restrict ?? null,
    announce: meta.announce ?? null,
    memberAddMode: meta.memberAddMode ?? null,
    joinApprovalMode: meta.joinApprovalMode ?? null,
    isCommunity: meta.isCommunity ?? null,
    isCommunityAnnounce: meta.isCommunityAnnounce ?? null,
    linkedParent: meta.linkedParent ?? null,
    size: meta.size ?? meta.participants?.length ?? null,
    ephemeralDurationSeconds: meta.ephemeralDuration ?? null,
    inviteCode: meta.inviteCode ?? null,
    addressingMode: meta.addressingMode === 'lid' ? 'LID' : meta.addressingMode === 'pn' ? 'PN' : null,
    author: meta.author ?? null,
    authorPn: meta.authorPn ?? null,
    participants: meta.participants === undefined ? null : meta.participants.map(groupParticipantRecord),
  };
}

function groupParticipantRecord(participant: GroupParticipant): AvroValue {
  const role = participant.admin === 'superadmin' || participant.isSuperAdmin ? 'SUPERADMIN' : participant.admin === 'admin' || participant.isAdmin ? 'ADMIN' : 'MEMBER';
  return {
    jid: participant.id,
    lid: participant.lid ?? null,
    phoneNumber: participant.phoneNumber ?? null,
    role,
    name: participant.name ?? participant.notify ?? null,
  };
}

/** `wa.account.BusinessProfile` of Baileys' `WABusinessProfile`. */
export function businessProfileRecord(jid: string, profile: WABusinessProfile): AvroValue {
  const hours = profile.business_hours;
  const days = hours?.config ?? hours?.business_config ?? [];
  return {
    jid: profile.wid ?? jid,
    description: profile.description || null,
    email: profile.email ?? null,
    websites: profile.website ?? [],
    address: profile.address ?? null,
    category: profile.category ?? null,
    businessHours:
      hours === undefined || (hours.timezone === undefined && days.length === 0)
        ? null
        : {
            timezone: hours.timezone ?? null,
            days: days.map((day) => ({
              dayOfWeek: day.day_of_week,
              mode: day.mode,
              openTimeMinutes: toInt(day.open_time),
              closeTimeMinutes: toInt(day.close_time),
            })),
          },
  };
}

/** `wa.account.NewsletterMetadata` of Baileys' `NewsletterMetadata`; the creator is its owner. */
export function newsletterRecord(meta: NewsletterMetadata, viewerRole: string | null): AvroValue {
  return {
    jid: meta.id,
    name: meta.name ?? meta.thread_metadata?.name ?? null,
    description: meta.description ?? meta.thread_metadata?.description ?? null,
    inviteCode: meta.invite ?? null,
    pictureUrl: meta.picture?.url ?? null,
    subscriberCount: toNumber(meta.subscribers),
    verified: meta.verification === undefined ? null : meta.verification === 'VERIFIED',
    state: null,
    viewerRole,
    muted: meta.mute_state === undefined ? null : meta.mute_state === 'ON',
    createdAt: secondsToMillis(meta.creation_time ?? meta.thread_metadata?.creation_time),
  };
}

function toInt(value: unknown): number | null {
  const n = toNumber(value);
  return n === null ? null : Math.trunc(n);
}
