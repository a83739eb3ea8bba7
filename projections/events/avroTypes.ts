/**
 * The Avro records the projector reads, as the codec decodes them (schemas/**.avsc): nullable
 * unions are bare values, other unions are wrapped by full name, longs and timestamps are
 * numbers, bytes are Buffers. Written from the .avsc files; keep them in step.
 */

/** `wa.common.EventSource` */
export type EventSource = 'UNKNOWN' | 'LIVE' | 'HISTORY_SYNC' | 'APP_STATE_SYNC' | 'COMMAND' | 'SYSTEM';

/** `wa.common.AddressingMode` */
export type AddressingMode = 'UNKNOWN' | 'PN' | 'LID';

/** `wa.common.MessageKey` */
export interface MessageKey {
  remoteJid: string;
  id: string;
  fromMe: boolean;
  participant: string | null;
  remoteJidAlt: string | null;
  participantAlt: string | null;
  addressingMode: AddressingMode;
  serverId: string | null;
}

/** `wa.conversation.MessageStatus` */
export type MessageStatus = 'UNKNOWN' | 'ERROR' | 'PENDING' | 'SERVER_ACK' | 'DELIVERY_ACK' | 'READ' | 'PLAYED';

/** `wa.conversation.ContentKind` */
export type ContentKind = 'UNKNOWN' | 'TEXT' | 'IMAGE' | 'VIDEO' | 'GIF' | 'PTV' | 'AUDIO' | 'VOICE' | 'DOCUMENT' | 'STICKER' | 'LOCATION' | 'LIVE_LOCATION' | 'CONTACT' | 'CONTACTS' | 'POLL' | 'POLL_VOTE' | 'REACTION' | 'INTERACTIVE' | 'INTERACTIVE_RESPONSE' | 'GROUP_INVITE' | 'PRODUCT' | 'ORDER' | 'EVENT' | 'EVENT_RESPONSE' | 'ALBUM' | 'STUB' | 'UNSUPPORTED';

/** `wa.common.MediaStatus` */
export type MediaStatus = 'UNKNOWN' | 'PENDING' | 'STORED' | 'FAILED' | 'EXPIRED' | 'SKIPPED';

/** `wa.common.EncryptedValue` */
export interface EncryptedValue {
  keyId: string;
  iv: Buffer;
  authTag: Buffer;
  ciphertext: Buffer;
}

/** `wa.common.MediaRef` */
export interface MediaRef {
  mediaId: string | null;
  sha256: string | null;
  mimetype: string | null;
  fileLength: number | null;
  fileName: string | null;
  width: number | null;
  height: number | null;
  seconds: number | null;
  status: MediaStatus;
  directPath: string | null;
  fileEncSha256: Buffer | null;
  mediaKeyTimestamp: number | null;
  mediaKeyEncrypted: EncryptedValue | null;
  jpegThumbnail: Buffer | null;
}

/** `wa.conversation.LinkPreview` */
export interface LinkPreview {
  url: string | null;
  matchedText: string | null;
  title: string | null;
  description: string | null;
  jpegThumbnail: Buffer | null;
  thumbnail: MediaRef | null;
}

/** `wa.conversation.TextContent` */
export interface TextContent {
  text: string;
  linkPreview: LinkPreview | null;
  backgroundArgb: number | null;
  textArgb: number | null;
  font: number | null;
}

/** `wa.conversation.ImageContent` */
export interface ImageContent {
  media: MediaRef;
  caption: string | null;
}

/** `wa.conversation.VideoContent` */
export interface VideoContent {
  media: MediaRef;
  caption: string | null;
  gifPlayback: boolean;
  gifAttribution: string | null;
}

/** `wa.conversation.PtvContent` */
export interface PtvContent {
  media: MediaRef;
}

/** `wa.conversation.AudioContent` */
export interface AudioContent {
  media: MediaRef;
  ptt: boolean;
  waveform: Buffer | null;
}

/** `wa.conversation.DocumentContent` */
export interface DocumentContent {
  media: MediaRef;
  title: string | null;
  pageCount: number | null;
  caption: string | null;
}

/** `wa.conversation.StickerContent` */
export interface StickerContent {
  media: MediaRef;
  isAnimated: boolean;
  isAvatar: boolean;
  isLottie: boolean;
}

/** `wa.conversation.LocationContent` */
export interface LocationContent {
  latitude: number;
  longitude: number;
  name: string | null;
  address: string | null;
  url: string | null;
  comment: string | null;
  accuracyInMeters: number | null;
  speedInMps: number | null;
  degreesClockwiseFromMagneticNorth: number | null;
  jpegThumbnail: Buffer | null;
}

/** `wa.conversation.LiveLocationContent` */
export interface LiveLocationContent {
  latitude: number;
  longitude: number;
  accuracyInMeters: number | null;
  speedInMps: number | null;
  degreesClockwiseFromMagneticNorth: number | null;
  caption: string | null;
  sequenceNumber: number | null;
  timeOffsetSeconds: number | null;
  durationSeconds: number | null;
  jpegThumbnail: Buffer | null;
}

/** `wa.conversation.ContactContent` */
export interface ContactContent {
  displayName: string | null;
  vcard: string;
}

/** `wa.conversation.ContactsArrayContent` */
export interface ContactsArrayContent {
  displayName: string | null;
  contacts: ContactContent[];
}

/** `wa.conversation.PollCreationContent` */
export interface PollCreationContent {
  name: string;
  options: string[];
  selectableCount: number;
  version: number;
  toAnnouncementGroup: boolean | null;
}

/** `wa.conversation.PollVoteContent` */
export interface PollVoteContent {
  pollKey: MessageKey;
  selectedOptions: string[];
  selectedOptionHashes: Buffer[];
  decrypted: boolean;
  encPayload: Buffer | null;
  encIv: Buffer | null;
  senderTimestamp: number | null;
}

/** `wa.conversation.ReactionContent` */
export interface ReactionContent {
  targetKey: MessageKey;
  text: string;
  senderTimestamp: number | null;
}

/** `wa.conversation.InteractiveKind` */
export type InteractiveKind = 'UNKNOWN' | 'BUTTONS' | 'TEMPLATE' | 'LIST' | 'NATIVE_FLOW' | 'CAROUSEL';

/** `wa.conversation.InteractiveButtonType` */
export type InteractiveButtonType = 'UNKNOWN' | 'REPLY' | 'URL' | 'CALL' | 'COPY' | 'LIST_ROW';

/** `wa.conversation.InteractiveButton` */
export interface InteractiveButton {
  id: string | null;
  displayText: string;
  type: InteractiveButtonType;
  url: string | null;
  phoneNumber: string | null;
  copyCode: string | null;
  sectionTitle: string | null;
  description: string | null;
}

/** `wa.conversation.InteractiveContent` */
export interface InteractiveContent {
  interactiveKind: InteractiveKind;
  title: string | null;
  text: string | null;
  footer: string | null;
  buttonText: string | null;
  headerMedia: MediaRef | null;
  buttons: InteractiveButton[];
  rawJson: string | null;
}

/** `wa.conversation.InteractiveResponseContent` */
export interface InteractiveResponseContent {
  responseKind: InteractiveKind;
  selectedId: string | null;
  selectedDisplayText: string | null;
  selectedIndex: number | null;
  title: string | null;
  description: string | null;
  rawJson: string | null;
}

/** `wa.conversation.GroupInviteContent` */
export interface GroupInviteContent {
  groupJid: string;
  inviteCode: string;
  inviteExpiration: number | null;
  groupName: string | null;
  caption: string | null;
  jpegThumbnail: Buffer | null;
}

/** `wa.conversation.ProductContent` */
export interface ProductContent {
  businessOwnerJid: string | null;
  productId: string | null;
  title: string | null;
  description: string | null;
  currencyCode: string | null;
  priceAmount1000: number | null;
  salePriceAmount1000: number | null;
  retailerId: string | null;
  url: string | null;
  productImage: MediaRef | null;
  body: string | null;
  footer: string | null;
}

/** `wa.conversation.OrderContent` */
export interface OrderContent {
  orderId: string | null;
  itemCount: number | null;
  status: string | null;
  surface: string | null;
  message: string | null;
  orderTitle: string | null;
  sellerJid: string | null;
  totalAmount1000: number | null;
  totalCurrencyCode: string | null;
  jpegThumbnail: Buffer | null;
}

/** `wa.conversation.EventContent` */
export interface EventContent {
  name: string;
  description: string | null;
  location: LocationContent | null;
  joinLink: string | null;
  startTime: number | null;
  endTime: number | null;
  isCanceled: boolean;
  extraGuestsAllowed: boolean | null;
  isScheduleCall: boolean | null;
}

/** `wa.conversation.EventResponseType` */
export type EventResponseType = 'UNKNOWN' | 'GOING' | 'NOT_GOING' | 'MAYBE';

/** `wa.conversation.EventResponseContent` */
export interface EventResponseContent {
  eventKey: MessageKey;
  response: EventResponseType;
  extraGuestCount: number | null;
  decrypted: boolean;
  respondedAt: number | null;
}

/** `wa.conversation.AlbumContent` */
export interface AlbumContent {
  expectedImageCount: number | null;
  expectedVideoCount: number | null;
}

/** `wa.conversation.StubContent` */
export interface StubContent {
  stubType: string;
  stubTypeCode: number;
  parameters: string[];
}

/** `wa.conversation.UnsupportedContent` */
export interface UnsupportedContent {
  messageType: string;
  rawJson: string | null;
}

/** `wa.conversation.GroupMention` */
export interface GroupMention {
  groupJid: string;
  groupSubject: string | null;
}

/** `wa.conversation.ExternalAdReply` */
export interface ExternalAdReply {
  title: string | null;
  body: string | null;
  mediaType: string | null;
  thumbnailUrl: string | null;
  mediaUrl: string | null;
  sourceType: string | null;
  sourceId: string | null;
  sourceUrl: string | null;
  ctwaClid: string | null;
  containsAutoReply: boolean | null;
  showAdAttribution: boolean | null;
}

/** `wa.conversation.ContextInfo` */
export interface ContextInfo {
  quotedMessageId: string | null;
  quotedParticipant: string | null;
  quotedRemoteJid: string | null;
  quotedKind: ContentKind | null;
  quotedText: string | null;
  mentionedJids: string[];
  groupMentions: GroupMention[];
  isForwarded: boolean;
  forwardingScore: number | null;
  expirationSeconds: number | null;
  ephemeralSettingAt: number | null;
  externalAdReply: ExternalAdReply | null;
  entryPointConversionSource: string | null;
  entryPointConversionApp: string | null;
  forwardedNewsletterJid: string | null;
  forwardedNewsletterName: string | null;
  forwardedNewsletterServerMessageId: string | null;
}

/** `wa.conversation.MessageWrapper` */
export type MessageWrapper = 'UNKNOWN' | 'EPHEMERAL' | 'VIEW_ONCE' | 'VIEW_ONCE_V2' | 'VIEW_ONCE_V2_EXTENSION' | 'DOCUMENT_WITH_CAPTION' | 'DEVICE_SENT' | 'EDITED' | 'GROUP_MENTIONED' | 'BOT_INVOKE' | 'LOTTIE_STICKER' | 'ASSOCIATED_CHILD' | 'STATUS_MENTION';

/** `wa.conversation.Message` */
export interface Message {
  key: MessageKey;
  senderJid: string | null;
  senderPn: string | null;
  senderLid: string | null;
  pushName: string | null;
  verifiedBizName: string | null;
  timestamp: number;
  status: MessageStatus;
  kind: ContentKind;
  content: { 'wa.conversation.TextContent': TextContent } | { 'wa.conversation.ImageContent': ImageContent } | { 'wa.conversation.VideoContent': VideoContent } | { 'wa.conversation.PtvContent': PtvContent } | { 'wa.conversation.AudioContent': AudioContent } | { 'wa.conversation.DocumentContent': DocumentContent } | { 'wa.conversation.StickerContent': StickerContent } | { 'wa.conversation.LocationContent': LocationContent } | { 'wa.conversation.LiveLocationContent': LiveLocationContent } | { 'wa.conversation.ContactContent': ContactContent } | { 'wa.conversation.ContactsArrayContent': ContactsArrayContent } | { 'wa.conversation.PollCreationContent': PollCreationContent } | { 'wa.conversation.PollVoteContent': PollVoteContent } | { 'wa.conversation.ReactionContent': ReactionContent } | { 'wa.conversation.InteractiveContent': InteractiveContent } | { 'wa.conversation.InteractiveResponseContent': InteractiveResponseContent } | { 'wa.conversation.GroupInviteContent': GroupInviteContent } | { 'wa.conversation.ProductContent': ProductContent } | { 'wa.conversation.OrderContent': OrderContent } | { 'wa.conversation.EventContent': EventContent } | { 'wa.conversation.EventResponseContent': EventResponseContent } | { 'wa.conversation.AlbumContent': AlbumContent } | { 'wa.conversation.StubContent': StubContent } | { 'wa.conversation.UnsupportedContent': UnsupportedContent };
  contextInfo: ContextInfo | null;
  isViewOnce: boolean;
  isEphemeral: boolean;
  wrappers: MessageWrapper[];
  isBroadcast: boolean;
  isStatus: boolean;
  starred: boolean;
  editedAt: number | null;
  albumParentId: string | null;
}

/** `wa.conversation.Direction` */
export type Direction = 'UNKNOWN' | 'INBOUND' | 'OUTBOUND';

/** `wa.conversation.UpsertType` */
export type UpsertType = 'UNKNOWN' | 'NOTIFY' | 'APPEND';

/** `wa.conversation.MessageRecorded` */
export interface MessageRecorded {
  message: Message;
  direction: Direction;
  upsertType: UpsertType;
  requestId: string | null;
}

/** `wa.conversation.MessageStatusChanged` */
export interface MessageStatusChanged {
  key: MessageKey;
  status: MessageStatus;
  participantJid: string | null;
  participantAlt: string | null;
  statusAt: number | null;
  errorCode: number | null;
}

/** `wa.conversation.MessageReacted` */
export interface MessageReacted {
  reaction: ReactionContent;
  reactorJid: string;
  reactorPn: string | null;
  reactorLid: string | null;
  carrierKey: MessageKey | null;
}

/** `wa.conversation.MessageEdited` */
export interface MessageEdited {
  targetKey: MessageKey;
  kind: ContentKind;
  content: { 'wa.conversation.TextContent': TextContent } | { 'wa.conversation.ImageContent': ImageContent } | { 'wa.conversation.VideoContent': VideoContent } | { 'wa.conversation.PtvContent': PtvContent } | { 'wa.conversation.AudioContent': AudioContent } | { 'wa.conversation.DocumentContent': DocumentContent } | { 'wa.conversation.StickerContent': StickerContent } | { 'wa.conversation.LocationContent': LocationContent } | { 'wa.conversation.LiveLocationContent': LiveLocationContent } | { 'wa.conversation.ContactContent': ContactContent } | { 'wa.conversation.ContactsArrayContent': ContactsArrayContent } | { 'wa.conversation.PollCreationContent': PollCreationContent } | { 'wa.conversation.PollVoteContent': PollVoteContent } | { 'wa.conversation.ReactionContent': ReactionContent } | { 'wa.conversation.InteractiveContent': InteractiveContent } | { 'wa.conversation.InteractiveResponseContent': InteractiveResponseContent } | { 'wa.conversation.GroupInviteContent': GroupInviteContent } | { 'wa.conversation.ProductContent': ProductContent } | { 'wa.conversation.OrderContent': OrderContent } | { 'wa.conversation.EventContent': EventContent } | { 'wa.conversation.EventResponseContent': EventResponseContent } | { 'wa.conversation.AlbumContent': AlbumContent } | { 'wa.conversation.StubContent': StubContent } | { 'wa.conversation.UnsupportedContent': UnsupportedContent };
  contextInfo: ContextInfo | null;
  editedAt: number;
  editorJid: string | null;
  carrierKey: MessageKey | null;
}

/** `wa.conversation.DeleteScope` */
export type DeleteScope = 'UNKNOWN' | 'FOR_EVERYONE' | 'FOR_ME';

/** `wa.conversation.MessageDeleted` */
export interface MessageDeleted {
  targetKey: MessageKey;
  scope: DeleteScope;
  deletedByJid: string | null;
  isAdminRevoke: boolean;
  deletedAt: number | null;
  carrierKey: MessageKey | null;
}

/** `wa.conversation.MessageStarChanged` */
export interface MessageStarChanged {
  targetKey: MessageKey;
  starred: boolean;
}

/** `wa.conversation.MessagePinChanged` */
export interface MessagePinChanged {
  targetKey: MessageKey;
  pinned: boolean;
  durationSeconds: number | null;
  expiresAt: number | null;
  pinnedByJid: string | null;
  carrierKey: MessageKey | null;
}

/** `wa.conversation.PollVoted` */
export interface PollVoted {
  vote: PollVoteContent;
  voterJid: string;
  voterPn: string | null;
  voterLid: string | null;
  carrierKey: MessageKey | null;
}

/** `wa.conversation.MessageMediaUpdated` */
export interface MessageMediaUpdated {
  targetKey: MessageKey;
  media: MediaRef;
  error: string | null;
}

/** `wa.conversation.ChatKind` */
export type ChatKind = 'UNKNOWN' | 'USER' | 'GROUP' | 'COMMUNITY' | 'BROADCAST' | 'STATUS' | 'NEWSLETTER' | 'BOT';

/** `wa.conversation.ChatChanged` */
export interface ChatChanged {
  chatJid: string;
  kind: ChatKind | null;
  name: string | null;
  displayName: string | null;
  pnJid: string | null;
  lidJid: string | null;
  username: string | null;
  unreadCount: number | null;
  unreadMentionCount: number | null;
  markedAsUnread: boolean | null;
  archived: boolean | null;
  pinned: boolean | null;
  pinnedAt: number | null;
  muted: boolean | null;
  mutedUntil: number | null;
  readOnly: boolean | null;
  notSpam: boolean | null;
  ephemeralExpirationSeconds: number | null;
  ephemeralSettingAt: number | null;
  lastMessageAt: number | null;
  lastMessageReceivedAt: number | null;
  createdAt: number | null;
  createdBy: string | null;
  description: string | null;
  isParentGroup: boolean | null;
  parentGroupJid: string | null;
  isDefaultSubgroup: boolean | null;
  locked: boolean | null;
  suspended: boolean | null;
  terminated: boolean | null;
  limitSharing: boolean | null;
  endOfHistoryTransfer: boolean | null;
}

/** `wa.conversation.ChatDeleted` */
export interface ChatDeleted {
  chatJid: string;
  deletedAt: number | null;
}

/** `wa.conversation.ChatCleared` */
export interface ChatCleared {
  chatJid: string;
  clearedAt: number | null;
  keepStarred: boolean | null;
}

/** `wa.conversation.HistorySyncType` */
export type HistorySyncType = 'UNKNOWN' | 'INITIAL_BOOTSTRAP' | 'INITIAL_STATUS_V3' | 'FULL' | 'RECENT' | 'PUSH_NAME' | 'NON_BLOCKING_DATA' | 'ON_DEMAND' | 'NO_HISTORY' | 'MESSAGE_ACCESS_STATUS';

/** `wa.conversation.HistorySyncProgress` */
export interface HistorySyncProgress {
  syncType: HistorySyncType;
  chunkOrder: number | null;
  progress: number | null;
  isLatest: boolean | null;
  messageCount: number;
  chatCount: number;
  contactCount: number;
  oldestMessageAt: number | null;
  peerDataRequestSessionId: string | null;
}

/** `wa.conversation.ConversationEvent` */
export interface ConversationEvent {
  eventId: string;
  type: string;
  accountId: string;
  chatJid: string | null;
  sequence: number;
  occurredAt: number;
  recordedAt: number;
  correlationId: string;
  causationId: string | null;
  source: EventSource;
  driver: string | null;
  data: { 'wa.conversation.MessageRecorded': MessageRecorded } | { 'wa.conversation.MessageStatusChanged': MessageStatusChanged } | { 'wa.conversation.MessageReacted': MessageReacted } | { 'wa.conversation.MessageEdited': MessageEdited } | { 'wa.conversation.MessageDeleted': MessageDeleted } | { 'wa.conversation.MessageStarChanged': MessageStarChanged } | { 'wa.conversation.MessagePinChanged': MessagePinChanged } | { 'wa.conversation.PollVoted': PollVoted } | { 'wa.conversation.MessageMediaUpdated': MessageMediaUpdated } | { 'wa.conversation.ChatChanged': ChatChanged } | { 'wa.conversation.ChatDeleted': ChatDeleted } | { 'wa.conversation.ChatCleared': ChatCleared } | { 'wa.conversation.HistorySyncProgress': HistorySyncProgress };
}

/** `wa.account.AccountCreated` */
export interface AccountCreated {
  name: string | null;
  department: string | null;
  autoConnect: boolean;
  collectionName: string | null;
  createdBy: string;
}

/** `wa.account.AccountUpdated` */
export interface AccountUpdated {
  name: string | null;
  department: string | null;
  autoConnect: boolean | null;
  collectionName: string | null;
  updatedBy: string;
}

/** `wa.account.AccountDeleted` */
export interface AccountDeleted {
  deletedBy: string;
  purgeData: boolean;
}

/** `wa.account.QrCodeIssued` */
export interface QrCodeIssued {
  qr: string;
  attempt: number;
  expiresAt: number;
  connectionId: string | null;
}

/** `wa.account.PairingCodeIssued` */
export interface PairingCodeIssued {
  code: string;
  phoneNumber: string;
  expiresAt: number | null;
  connectionId: string | null;
}

/** `wa.account.ConnectionState` */
export type ConnectionState = 'UNKNOWN' | 'NOT_STARTED' | 'CONNECTING' | 'QR' | 'PAIRING' | 'CONNECTED' | 'RECONNECTING' | 'DISCONNECTED' | 'LOGGED_OUT';

/** `wa.account.DisconnectReason` */
export type DisconnectReason = 'UNKNOWN' | 'CONNECTION_CLOSED' | 'CONNECTION_LOST' | 'CONNECTION_REPLACED' | 'TIMED_OUT' | 'LOGGED_OUT' | 'BAD_SESSION' | 'RESTART_REQUIRED' | 'MULTIDEVICE_MISMATCH' | 'FORBIDDEN' | 'UNAVAILABLE_SERVICE' | 'REQUESTED' | 'REBALANCED' | 'SHUTDOWN' | 'QR_EXHAUSTED';

/** `wa.account.ConnectionStateChanged` */
export interface ConnectionStateChanged {
  state: ConnectionState;
  previousState: ConnectionState | null;
  reason: DisconnectReason | null;
  statusCode: number | null;
  errorMessage: string | null;
  meJid: string | null;
  meLid: string | null;
  mePhone: string | null;
  meName: string | null;
  platform: string | null;
  isNewLogin: boolean | null;
  receivedPendingNotifications: boolean | null;
  attempt: number | null;
  nextRetryAt: number | null;
  connectionId: string | null;
}

/** `wa.account.PictureState` */
export type PictureState = 'UNKNOWN' | 'SET' | 'CHANGED' | 'REMOVED';

/** `wa.account.Contact` */
export interface Contact {
  jid: string;
  lid: string | null;
  phoneNumber: string | null;
  name: string | null;
  notify: string | null;
  verifiedName: string | null;
  pictureState: PictureState | null;
  pictureUrl: string | null;
  statusText: string | null;
  isBusiness: boolean | null;
}

/** `wa.account.LidMappingSource` */
export type LidMappingSource = 'UNKNOWN' | 'LID_MAPPING_UPDATE' | 'PHONE_NUMBER_SHARE' | 'CONTACT' | 'GROUP_METADATA' | 'MESSAGE_KEY';

/** `wa.account.LidMapping` */
export interface LidMapping {
  lid: string;
  pn: string;
  source: LidMappingSource;
}

/** `wa.account.GroupRole` */
export type GroupRole = 'UNKNOWN' | 'MEMBER' | 'ADMIN' | 'SUPERADMIN';

/** `wa.account.GroupParticipant` */
export interface GroupParticipant {
  jid: string;
  lid: string | null;
  phoneNumber: string | null;
  role: GroupRole;
  name: string | null;
}

/** `wa.account.GroupMetadata` */
export interface GroupMetadata {
  id: string;
  subject: string | null;
  subjectOwner: string | null;
  subjectOwnerPn: string | null;
  subjectTime: number | null;
  description: string | null;
  descId: string | null;
  descOwner: string | null;
  descOwnerPn: string | null;
  descTime: number | null;
  owner: string | null;
  ownerPn: string | null;
  ownerCountryCode: string | null;
  creation: number | null;
  restrict: boolean | null;
  announce: boolean | null;
  memberAddMode: boolean | null;
  joinApprovalMode: boolean | null;
  isCommunity: boolean | null;
  isCommunityAnnounce: boolean | null;
  linkedParent: string | null;
  size: number | null;
  ephemeralDurationSeconds: number | null;
  inviteCode: string | null;
  addressingMode: AddressingMode | null;
  author: string | null;
  authorPn: string | null;
  participants: GroupParticipant[] | null;
}

/** `wa.account.ParticipantAction` */
export type ParticipantAction = 'UNKNOWN' | 'ADD' | 'REMOVE' | 'PROMOTE' | 'DEMOTE' | 'MODIFY';

/** `wa.account.GroupParticipantsChanged` */
export interface GroupParticipantsChanged {
  groupJid: string;
  action: ParticipantAction;
  participants: GroupParticipant[];
  authorJid: string | null;
  authorPn: string | null;
}

/** `wa.account.JoinRequestAction` */
export type JoinRequestAction = 'UNKNOWN' | 'CREATED' | 'REVOKED' | 'REJECTED' | 'APPROVED';

/** `wa.account.JoinRequestMethod` */
export type JoinRequestMethod = 'UNKNOWN' | 'INVITE_LINK' | 'LINKED_GROUP_JOIN' | 'NON_ADMIN_ADD';

/** `wa.account.GroupJoinRequest` */
export interface GroupJoinRequest {
  groupJid: string;
  participantJid: string;
  participantPn: string | null;
  authorJid: string | null;
  authorPn: string | null;
  action: JoinRequestAction;
  method: JoinRequestMethod;
}

/** `wa.account.Label` */
export interface Label {
  labelId: string;
  name: string;
  color: number;
  predefinedId: string | null;
  deleted: boolean;
}

/** `wa.account.LabelTargetType` */
export type LabelTargetType = 'UNKNOWN' | 'CHAT' | 'MESSAGE';

/** `wa.account.AssociationAction` */
export type AssociationAction = 'UNKNOWN' | 'ADD' | 'REMOVE';

/** `wa.account.LabelAssociation` */
export interface LabelAssociation {
  labelId: string;
  targetType: LabelTargetType;
  chatJid: string;
  messageId: string | null;
  action: AssociationAction;
}

/** `wa.account.Profile` */
export interface Profile {
  jid: string | null;
  name: string | null;
  statusText: string | null;
  statusSetAt: number | null;
  pictureState: PictureState | null;
  pictureUrl: string | null;
  pictureId: string | null;
}

/** `wa.account.BusinessHoursDay` */
export interface BusinessHoursDay {
  dayOfWeek: string;
  mode: string;
  openTimeMinutes: number | null;
  closeTimeMinutes: number | null;
}

/** `wa.account.BusinessHours` */
export interface BusinessHours {
  timezone: string | null;
  days: BusinessHoursDay[];
}

/** `wa.account.BusinessProfile` */
export interface BusinessProfile {
  jid: string;
  description: string | null;
  email: string | null;
  websites: string[];
  address: string | null;
  category: string | null;
  businessHours: BusinessHours | null;
}

/** `wa.account.BlocklistAction` */
export type BlocklistAction = 'UNKNOWN' | 'SET' | 'ADD' | 'REMOVE';

/** `wa.account.BlocklistChanged` */
export interface BlocklistChanged {
  action: BlocklistAction;
  jids: string[];
}

/** `wa.account.CallStatus` */
export type CallStatus = 'UNKNOWN' | 'OFFER' | 'RINGING' | 'TIMEOUT' | 'REJECT' | 'ACCEPT' | 'TERMINATE';

/** `wa.account.Call` */
export interface Call {
  callId: string;
  fromJid: string;
  callerPn: string | null;
  chatJid: string;
  groupJid: string | null;
  isVideo: boolean;
  isGroup: boolean;
  status: CallStatus;
  offline: boolean;
  latencyMs: number | null;
}

/** `wa.account.NewsletterMetadata` */
export interface NewsletterMetadata {
  jid: string;
  name: string | null;
  description: string | null;
  inviteCode: string | null;
  pictureUrl: string | null;
  subscriberCount: number | null;
  verified: boolean | null;
  state: string | null;
  viewerRole: string | null;
  muted: boolean | null;
  createdAt: number | null;
}

/** `wa.account.NewsletterParticipantChanged` */
export interface NewsletterParticipantChanged {
  newsletterJid: string;
  userJid: string;
  authorJid: string | null;
  action: string;
  newRole: string | null;
}

/** `wa.account.NewsletterMessageStats` */
export interface NewsletterMessageStats {
  newsletterJid: string;
  serverMessageId: string;
  viewCount: number | null;
  reactionCode: string | null;
  reactionCount: number | null;
  reactionRemoved: boolean | null;
}

/** `wa.account.AccountEvent` */
export interface AccountEvent {
  eventId: string;
  type: string;
  accountId: string;
  chatJid: string | null;
  sequence: number;
  occurredAt: number;
  recordedAt: number;
  correlationId: string;
  causationId: string | null;
  source: EventSource;
  driver: string | null;
  data: { 'wa.account.AccountCreated': AccountCreated } | { 'wa.account.AccountUpdated': AccountUpdated } | { 'wa.account.AccountDeleted': AccountDeleted } | { 'wa.account.QrCodeIssued': QrCodeIssued } | { 'wa.account.PairingCodeIssued': PairingCodeIssued } | { 'wa.account.ConnectionStateChanged': ConnectionStateChanged } | { 'wa.account.Contact': Contact } | { 'wa.account.LidMapping': LidMapping } | { 'wa.account.GroupMetadata': GroupMetadata } | { 'wa.account.GroupParticipantsChanged': GroupParticipantsChanged } | { 'wa.account.GroupJoinRequest': GroupJoinRequest } | { 'wa.account.Label': Label } | { 'wa.account.LabelAssociation': LabelAssociation } | { 'wa.account.Profile': Profile } | { 'wa.account.BusinessProfile': BusinessProfile } | { 'wa.account.BlocklistChanged': BlocklistChanged } | { 'wa.account.Call': Call } | { 'wa.account.NewsletterMetadata': NewsletterMetadata } | { 'wa.account.NewsletterParticipantChanged': NewsletterParticipantChanged } | { 'wa.account.NewsletterMessageStats': NewsletterMessageStats };
}

/** `wa.commands.CommandStatus` */
export type CommandStatus = 'UNKNOWN' | 'SUCCEEDED' | 'FAILED' | 'REJECTED' | 'EXPIRED';

/** `wa.commands.CommandError` */
export interface CommandError {
  code: string;
  message: string;
  retriable: boolean;
  statusCode: number | null;
  field: string | null;
}

/** `wa.commands.MessageSentResult` */
export interface MessageSentResult {
  messageId: string;
  chatJid: string;
  timestamp: number;
  status: MessageStatus;
}

/** `wa.commands.ForwardOutcome` */
export interface ForwardOutcome {
  to: string;
  messageId: string | null;
  timestamp: number | null;
  error: CommandError | null;
}

/** `wa.commands.ForwardResult` */
export interface ForwardResult {
  results: ForwardOutcome[];
}

/** `wa.commands.ConnectResult` */
export interface ConnectResult {
  state: ConnectionState;
  qr: string | null;
  qrExpiresAt: number | null;
  pairingCode: string | null;
  meJid: string | null;
  mePhone: string | null;
}

/** `wa.commands.AccountResult` */
export interface AccountResult {
  accountId: string;
  name: string | null;
  department: string | null;
  autoConnect: boolean;
  collectionName: string | null;
  state: ConnectionState;
  createdAt: number;
  updatedAt: number | null;
  meJid: string | null;
  mePhone: string | null;
}

/** `wa.commands.PhoneCheck` */
export interface PhoneCheck {
  phone: string;
  exists: boolean;
  jid: string | null;
  lid: string | null;
}

/** `wa.commands.ContactCheckResult` */
export interface ContactCheckResult {
  results: PhoneCheck[];
}

/** `wa.commands.ParticipantOutcome` */
export interface ParticipantOutcome {
  jid: string;
  statusCode: number;
  error: string | null;
}

/** `wa.commands.GroupParticipantsResult` */
export interface GroupParticipantsResult {
  groupJid: string;
  results: ParticipantOutcome[];
}

/** `wa.commands.InviteLinkResult` */
export interface InviteLinkResult {
  groupJid: string;
  code: string;
  url: string;
}

/** `wa.commands.CommandResult` */
export interface CommandResult {
  commandId: string;
  accountId: string;
  type: string;
  status: CommandStatus;
  completedAt: number;
  error: CommandError | null;
  result: null | { 'wa.commands.MessageSentResult': MessageSentResult } | { 'wa.commands.ForwardResult': ForwardResult } | { 'wa.commands.ConnectResult': ConnectResult } | { 'wa.commands.AccountResult': AccountResult } | { 'wa.commands.ContactCheckResult': ContactCheckResult } | { 'wa.commands.GroupParticipantsResult': GroupParticipantsResult } | { 'wa.commands.InviteLinkResult': InviteLinkResult } | { 'wa.account.Profile': Profile } | { 'wa.account.BusinessProfile': BusinessProfile } | { 'wa.account.GroupMetadata': GroupMetadata } | { 'wa.account.Label': Label } | { 'wa.account.NewsletterMetadata': NewsletterMetadata };
  eventIds: string[];
  durationMs: number | null;
  correlationId: string;
  replayed: boolean;
}

/** `wa.presence.Presence` */
export type Presence = 'UNKNOWN' | 'UNAVAILABLE' | 'AVAILABLE' | 'COMPOSING' | 'RECORDING' | 'PAUSED';

/** `wa.presence.PresenceUpdated` */
export interface PresenceUpdated {
  chatJid: string;
  participantJid: string;
  participantAlt: string | null;
  presence: Presence;
  lastSeen: number | null;
}

/** `wa.presence.SelfPresenceChanged` */
export interface SelfPresenceChanged {
  presence: Presence;
  chatJid: string | null;
}

/** `wa.presence.PresenceEvent`, as the codec decodes it (the envelope of wa.presence.v1). */
export interface PresenceEvent {
  eventId: string;
  type: string;
  accountId: string;
  chatJid: string | null;
  sequence: number;
  occurredAt: number;
  recordedAt: number;
  correlationId: string;
  causationId: string | null;
  source: EventSource;
  driver: string | null;
  data: { 'wa.presence.PresenceUpdated': PresenceUpdated } | { 'wa.presence.SelfPresenceChanged': SelfPresenceChanged };
}

/** `wa.webhooks.PayloadFormat`: UNKNOWN is what a reader gets for a format newer than itself. */
export type PayloadFormat = 'UNKNOWN' | 'WILDCAT' | 'WHAPI' | 'ENVELOPE';

/** `wa.webhooks.WebhookDelivery`: one event to deliver to one subscription, on a retry topic or the dead-letter topic. */
export interface WebhookDelivery {
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  accountId: string;
  chatJid: string | null;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: number;
  attempt: number; // the next attempt's number (1 = the first try)
  firstAttemptAt: number;
  lastAttemptAt: number | null;
  notBefore: number;
  lastStatusCode: number | null;
  lastError: string | null;
  eventBytes: Buffer; // the event's single-object encoded value as read from its topic
  traceparent: string | null;
}

/** `wa.webhooks.AttemptOutcome` */
export type AttemptOutcome = 'UNKNOWN' | 'DELIVERED' | 'RETRYING' | 'DEAD' | 'GONE' | 'DISABLED' | 'CANCELLED';

/** `wa.webhooks.WebhookAttempt`: one line of the delivery log (wa.webhooks.attempts.v1). */
export interface WebhookAttempt {
  attemptId: string;
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  accountId: string;
  chatJid: string | null;
  attempt: number;
  outcome: AttemptOutcome;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  attemptedAt: number;
  nextAttemptAt: number | null;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: number;
}

/** `wa.common.DeadLetterReason` */
export type DeadLetterReason = 'UNKNOWN' | 'BAD_MAGIC' | 'TRUNCATED' | 'CORRUPT' | 'UNKNOWN_SCHEMA' | 'INVALID' | 'UNPROCESSABLE';

/** `wa.common.DeadLetterHeader` */
export interface DeadLetterHeader {
  key: string;
  value: Buffer | null;
}

/** `wa.common.DeadLetter`: a record a consumer gave up on (wa.dead-letters.v1), with its original bytes. */
export interface DeadLetter {
  deadLetterId: string;
  consumer: string;
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: DeadLetterHeader[];
  reason: DeadLetterReason;
  error: string;
  at: number;
}
