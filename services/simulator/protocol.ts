/**
 * The wire protocol between the simulator driver (services/connector/drivers/simulator) and the
 * simulator's `/sim/driver/...` routes. It plays the part of WhatsApp's binary protocol: the
 * simulator sends stanzas (protobuf payloads as base64, plus the attributes Baileys reads), and
 * the driver turns them into exactly the Baileys events the real socket would emit.
 *
 * Routes (all JSON unless noted):
 * - `POST /sim/driver/sessions` {@link OpenSessionRequest} → {@link OpenSessionResponse}
 * - `GET /sim/driver/sessions/:sessionId/deliveries?waitMs=&max=` → {@link PollResponse}
 * - `POST /sim/driver/sessions/:sessionId/deliveries` `{ ack?, waitMs?, max? }` → {@link PollResponse}: acknowledges `ack`, then polls
 * - `POST /sim/driver/sessions/:sessionId/ack` {@link AckRequest} → `{ acked }`
 * - `POST /sim/driver/sessions/:sessionId/release` {@link AckRequest} → `{ released }`
 * - `POST /sim/driver/sessions/:sessionId/rpc` {@link RpcRequest} → `{ result }` ({@link RpcResults})
 * - `POST /sim/driver/sessions/:sessionId/upload?mediaType=` raw encrypted bytes → {@link UploadResponse}
 * - `DELETE /sim/driver/sessions/:sessionId` → closes without unlinking
 * - `GET /sim/driver/media?directPath=&fileSha256=` → the plaintext media bytes
 * Errors are `{ error: { code, message, field } }`; the HTTP status doubles as WhatsApp's IQ error code.
 */

/** Receipt levels a recipient's phone can send. */
export type ReceiptStatus = 'delivered' | 'read';

export interface OpenSessionRequest {
  accountId: string;
  /** `creds.me.id` when the credentials are registered, else null (a new device that needs a link). */
  meId: string | null;
}

/** The QR references WhatsApp hands a new device, and how long each lives. */
export interface QrPlan {
  refs: string[];
  firstMs: number;
  nextMs: number;
}

export type OpenSessionResponse =
  | { status: 'connected'; sessionId: string; me: { id: string; name: string | null } }
  | { status: 'awaiting-link'; sessionId: string; qr: QrPlan }
  /** The credentials name a device WhatsApp no longer knows: Baileys' `loggedOut` (401). */
  | { status: 'logged-out'; sessionId: null };

/** Why the simulator ended a session from its side. */
export type SessionEnd = 'replaced' | 'logged-out' | 'closed';

export interface PollResponse {
  /** Consecutive deliveries from the head of the account's queue; acknowledge them all once handled. */
  deliveries: Delivery[];
  /** Set when the session is over; no deliveries come with it. */
  ended: SessionEnd | null;
}

export interface AckRequest {
  deliveryIds: string[];
}

/** One stanza for the account; its id is stable across redeliveries. */
export interface Delivery {
  id: string;
  body: DeliveryBody;
}

/** A phone-number or group participant, with its admin role. */
export interface ParticipantWire {
  jid: string;
  admin: 'admin' | 'superadmin' | null;
}

/** Group metadata as the simulator keeps it; the driver returns it in Baileys' `GroupMetadata` shape. */
export interface GroupMetadataWire {
  id: string;
  subject: string;
  subjectOwner: string;
  subjectTime: number;
  creation: number;
  owner: string;
  desc: string | null;
  descId: string | null;
  descOwner: string | null;
  descTime: number | null;
  restrict: boolean;
  announce: boolean;
  memberAddMode: boolean;
  joinApprovalMode: boolean;
  ephemeralDuration: number | null;
  participants: ParticipantWire[];
}

export type GroupChange =
  | { action: 'create'; metadata: GroupMetadataWire }
  | { action: 'add' | 'remove' | 'promote' | 'demote'; participants: ParticipantWire[] }
  | { action: 'subject'; subject: string }
  | { action: 'description'; description: string | null }
  | { action: 'announcement' | 'not_announcement' | 'locked' | 'unlocked' }
  | { action: 'invite'; code: string }
  | { action: 'ephemeral'; expiration: number };

export type DeliveryBody =
  /** The phone scanned the QR (or entered the pairing code): Baileys' pair-success. */
  | { kind: 'linked'; me: { id: string; name: string | null }; platform: string; timestamp: number }
  /** A message from another phone; `message` is base64 `proto.Message`, timestamp in seconds. */
  | {
      kind: 'message';
      messageId: string;
      chatJid: string;
      /** The sender inside a group, else null. */
      participant: string | null;
      pushName: string | null;
      timestamp: number;
      message: string;
      /** True for the first message the account ever gets in this chat. */
      firstContact: boolean;
    }
  /** The recipient's phone acknowledged outbound messages; `participant` set for group receipts. */
  | { kind: 'receipt'; chatJid: string; messageIds: string[]; participant: string | null; status: ReceiptStatus; timestamp: number }
  /** One history-sync chunk; `sync` is base64 `proto.HistorySync`. */
  | { kind: 'history'; sync: string; chunkOrder: number; isLatest: boolean }
  /** A `w:gp2` group notification. */
  | { kind: 'group'; notificationId: string; groupJid: string; author: string; timestamp: number; change: GroupChange }
  /** An app-state mutation (chat modification, label, push name); `value` is base64 `proto.SyncActionValue`. */
  | { kind: 'app-state'; index: string[]; value: string }
  | { kind: 'blocklist'; jids: string[]; type: 'add' | 'remove' };

export type DeliveryKind = DeliveryBody['kind'];

export interface UploadResponse {
  mediaUrl: string;
  directPath: string;
}

export type GroupSetting = 'announcement' | 'not_announcement' | 'locked' | 'unlocked';
export type ParticipantAction = 'add' | 'remove' | 'promote' | 'demote';
export type Presence = 'unavailable' | 'available' | 'composing' | 'recording' | 'paused';

export interface BusinessProfileWire {
  description: string;
  email: string | undefined;
  business_hours: { timezone?: string; config?: Array<{ day_of_week: string; mode: string; open_time?: number; close_time?: number }> };
  website: string[];
  category?: string;
  wid?: string;
  address?: string;
}

export interface NewsletterWire {
  id: string;
  name: string;
  description: string;
  creation_time: number;
  invite: string;
  subscribers: number;
  verification: 'VERIFIED' | 'UNVERIFIED';
  mute_state: 'ON' | 'OFF';
}

/** Requests the socket port makes; each names its operation. */
export type RpcRequest =
  | { op: 'relay'; jid: string; message: string }
  | { op: 'onWhatsApp'; phones: string[] }
  | { op: 'appPatch'; index: string[]; value: string; operation: 'set' | 'remove' }
  | { op: 'readMessages'; keys: Array<{ remoteJid: string; id: string; participant: string | null }> }
  | { op: 'updateBlockStatus'; jid: string; action: 'block' | 'unblock' }
  | { op: 'fetchBlocklist' }
  | { op: 'profilePictureUrl'; jid: string }
  | { op: 'fetchStatus'; jids: string[] }
  | { op: 'updateProfileStatus'; status: string }
  | { op: 'updateProfilePicture'; jid: string; image: string }
  | { op: 'getBusinessProfile'; jid: string }
  | { op: 'updateBusinessProfile'; profile: Record<string, unknown> }
  | { op: 'groupCreate'; subject: string; participants: string[] }
  | { op: 'groupMetadata'; jid: string }
  | { op: 'groupUpdateSubject'; jid: string; subject: string }
  | { op: 'groupUpdateDescription'; jid: string; description: string | null }
  | { op: 'groupSettingUpdate'; jid: string; setting: GroupSetting }
  | { op: 'groupToggleEphemeral'; jid: string; expiration: number }
  | { op: 'groupLeave'; jid: string }
  | { op: 'groupParticipantsUpdate'; jid: string; participants: string[]; action: ParticipantAction }
  | { op: 'groupInviteCode'; jid: string }
  | { op: 'groupRevokeInvite'; jid: string }
  | { op: 'sendPresenceUpdate'; presence: Presence; toJid: string | null }
  | { op: 'newsletterCreate'; name: string; description: string | null }
  | { op: 'pairingCode'; phone: string }
  | { op: 'logout' };

export type RpcOp = RpcRequest['op'];

/** What each operation answers, as JSON. */
export interface RpcResults {
  relay: { messageId: string; duplicate: boolean };
  onWhatsApp: Array<{ jid: string; exists: boolean }>;
  appPatch: null;
  readMessages: null;
  updateBlockStatus: null;
  fetchBlocklist: string[];
  profilePictureUrl: string;
  fetchStatus: Array<{ id: string; status: { status: string | null; setAt: number } }>;
  updateProfileStatus: null;
  updateProfilePicture: null;
  getBusinessProfile: BusinessProfileWire | null;
  updateBusinessProfile: BusinessProfileWire;
  groupCreate: GroupMetadataWire;
  groupMetadata: GroupMetadataWire;
  groupUpdateSubject: null;
  groupUpdateDescription: null;
  groupSettingUpdate: null;
  groupToggleEphemeral: null;
  groupLeave: null;
  groupParticipantsUpdate: Array<{ status: string; jid: string }>;
  groupInviteCode: string;
  groupRevokeInvite: string;
  sendPresenceUpdate: null;
  newsletterCreate: NewsletterWire;
  pairingCode: string;
  logout: null;
}
