/**
 * `wa.commands.Command` and its payloads as the codec decodes them (schemas/commands/*.avsc):
 * nullable fields are `null` or the bare value, every other union is wrapped by full name,
 * timestamps are milliseconds, bytes are Buffers.
 */

/** `{ 'full.Name': value }` for each branch of a record map: Avro's wrapped union. */
export type WrappedUnion<M> = { [K in keyof M]: { [P in K]: M[P] } }[keyof M];

export interface MessageKeyValue {
  remoteJid: string;
  id: string;
  fromMe: boolean;
  participant: string | null;
  remoteJidAlt?: string | null;
  participantAlt?: string | null;
  addressingMode?: string;
  serverId?: string | null;
}

export interface MediaRefValue {
  mediaId: string | null;
  sha256?: string | null;
  mimetype?: string | null;
  fileLength?: number | null;
  fileName?: string | null;
  width?: number | null;
  height?: number | null;
  seconds?: number | null;
  status?: string;
  directPath?: string | null;
  fileEncSha256?: Buffer | null;
  mediaKeyTimestamp?: number | null;
  mediaKeyEncrypted?: unknown;
  jpegThumbnail?: Buffer | null;
}

export interface LinkPreviewValue {
  url: string | null;
  matchedText: string | null;
  title: string | null;
  description: string | null;
  jpegThumbnail: Buffer | null;
  thumbnail?: MediaRefValue | null;
}

export interface TextContentValue {
  text: string;
  linkPreview: LinkPreviewValue | null;
  backgroundArgb: number | null;
  textArgb: number | null;
  font: number | null;
}
export interface ImageContentValue {
  media: MediaRefValue;
  caption: string | null;
}
export interface VideoContentValue {
  media: MediaRefValue;
  caption: string | null;
  gifPlayback: boolean;
  gifAttribution: string | null;
}
export interface PtvContentValue {
  media: MediaRefValue;
}
export interface AudioContentValue {
  media: MediaRefValue;
  ptt: boolean;
  waveform: Buffer | null;
}
export interface DocumentContentValue {
  media: MediaRefValue;
  title: string | null;
  pageCount: number | null;
  caption: string | null;
}
export interface StickerContentValue {
  media: MediaRefValue;
  isAnimated: boolean;
  isAvatar: boolean;
  isLottie: boolean;
}
export interface LocationContentValue {
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
export interface LiveLocationContentValue {
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
export interface ContactContentValue {
  displayName: string | null;
  vcard: string;
}
export interface ContactsArrayContentValue {
  displayName: string | null;
  contacts: ContactContentValue[];
}
export interface PollCreationContentValue {
  name: string;
  options: string[];
  selectableCount: number;
  version: number;
  toAnnouncementGroup: boolean | null;
}
export interface EventContentValue {
  name: string;
  description: string | null;
  location: LocationContentValue | null;
  joinLink: string | null;
  startTime: number | null;
  endTime: number | null;
  isCanceled: boolean;
  extraGuestsAllowed: boolean | null;
  isScheduleCall: boolean | null;
}

/** The content branches a `SendMessage` may carry. */
export interface SendableContents {
  'wa.conversation.TextContent': TextContentValue;
  'wa.conversation.ImageContent': ImageContentValue;
  'wa.conversation.VideoContent': VideoContentValue;
  'wa.conversation.PtvContent': PtvContentValue;
  'wa.conversation.AudioContent': AudioContentValue;
  'wa.conversation.DocumentContent': DocumentContentValue;
  'wa.conversation.StickerContent': StickerContentValue;
  'wa.conversation.LocationContent': LocationContentValue;
  'wa.conversation.LiveLocationContent': LiveLocationContentValue;
  'wa.conversation.ContactContent': ContactContentValue;
  'wa.conversation.ContactsArrayContent': ContactsArrayContentValue;
  'wa.conversation.PollCreationContent': PollCreationContentValue;
  'wa.conversation.EventContent': EventContentValue;
}
export type SendableContent = WrappedUnion<SendableContents>;

/** The content branches a `PostStory` may carry. */
export type StoryContents = Pick<
  SendableContents,
  'wa.conversation.TextContent' | 'wa.conversation.ImageContent' | 'wa.conversation.VideoContent' | 'wa.conversation.AudioContent'
>;
export type StoryContent = WrappedUnion<StoryContents>;

export interface MessageTargetValue {
  chatJid: string;
  messageId: string;
  fromMe: boolean | null;
  participant: string | null;
}

export interface CreateAccountPayload {
  name: string | null;
  department: string | null;
  autoConnect: boolean;
  collectionName: string | null;
}
export interface UpdateAccountPayload {
  name: string | null;
  department: string | null;
  autoConnect: boolean | null;
  collectionName: string | null;
}
export interface DeleteAccountPayload {
  purgeData: boolean;
}
export interface ConnectAccountPayload {
  method: string;
  phoneNumber: string | null;
}
export interface EndSessionPayload {
  reason: string | null;
}
export interface SendMessagePayload {
  to: string;
  content: SendableContent;
  quoted: MessageTargetValue | null;
  mentions: string[];
  mentionAll: boolean;
  viewOnce: boolean;
  ephemeralExpirationSeconds: number | null;
  linkPreview: boolean;
  messageId: string | null;
}
export interface ReactToMessagePayload {
  target: MessageTargetValue;
  emoji: string;
}
export interface DeleteMessagePayload {
  target: MessageTargetValue;
  forEveryone: boolean;
}
export interface EditMessagePayload {
  target: MessageTargetValue;
  text: string;
  mentions: string[];
}
export interface ForwardMessagePayload {
  source: MessageTargetValue;
  to: string[];
}
export interface StarMessagePayload {
  target: MessageTargetValue;
}
export interface PinMessagePayload {
  target: MessageTargetValue;
  durationSeconds: number | null;
}
export interface ModifyChatPayload {
  chatJid: string;
  muteDurationSeconds: number | null;
  lastMessageKey: MessageKeyValue | null;
  lastMessageAt: number | null;
}
export interface CheckPhonesPayload {
  phones: string[];
}
export interface ContactTargetPayload {
  jid: string;
}
export interface FetchProfilePayload {
  jid: string | null;
}
export interface UpdateProfilePayload {
  name: string | null;
  statusText: string | null;
}
export interface UpdateProfilePicturePayload {
  mediaId: string;
  jid: string | null;
}
export interface UpdateBusinessProfilePayload {
  description: string | null;
  email: string | null;
  websites: string[] | null;
  address: string | null;
  category: string | null;
}
export interface CreateGroupPayload {
  subject: string;
  participants: string[];
  description: string | null;
}
export interface UpdateGroupPayload {
  groupJid: string;
  subject: string | null;
  description: string | null;
  announce: boolean | null;
  restrict: boolean | null;
  memberAddMode: boolean | null;
  joinApprovalMode: boolean | null;
  ephemeralDurationSeconds: number | null;
}
export interface GroupTargetPayload {
  groupJid: string;
}
export interface ChangeGroupParticipantsPayload {
  groupJid: string;
  participants: string[];
}
export interface PostStoryPayload {
  content: StoryContent;
  audienceJids: string[];
}
export interface DeleteStoryPayload {
  storyId: string;
  audienceJids: string[];
}
export interface CreateLabelPayload {
  name: string;
  color: number | null;
}
export interface LabelTargetPayload {
  labelId: string;
}
export interface LabelChatPayload {
  labelId: string;
  chatJid: string;
}
export interface CreateNewsletterPayload {
  name: string;
  description: string | null;
  pictureMediaId: string | null;
}

/** Every payload record of `Command.payload`, by full name. */
export interface CommandPayloads {
  'wa.commands.CreateAccount': CreateAccountPayload;
  'wa.commands.UpdateAccount': UpdateAccountPayload;
  'wa.commands.DeleteAccount': DeleteAccountPayload;
  'wa.commands.ConnectAccount': ConnectAccountPayload;
  'wa.commands.EndSession': EndSessionPayload;
  'wa.commands.SendMessage': SendMessagePayload;
  'wa.commands.ReactToMessage': ReactToMessagePayload;
  'wa.commands.DeleteMessage': DeleteMessagePayload;
  'wa.commands.EditMessage': EditMessagePayload;
  'wa.commands.ForwardMessage': ForwardMessagePayload;
  'wa.commands.StarMessage': StarMessagePayload;
  'wa.commands.PinMessage': PinMessagePayload;
  'wa.commands.ModifyChat': ModifyChatPayload;
  'wa.commands.CheckPhones': CheckPhonesPayload;
  'wa.commands.ContactTarget': ContactTargetPayload;
  'wa.commands.FetchProfile': FetchProfilePayload;
  'wa.commands.UpdateProfile': UpdateProfilePayload;
  'wa.commands.UpdateProfilePicture': UpdateProfilePicturePayload;
  'wa.commands.UpdateBusinessProfile': UpdateBusinessProfilePayload;
  'wa.commands.CreateGroup': CreateGroupPayload;
  'wa.commands.UpdateGroup': UpdateGroupPayload;
  'wa.commands.GroupTarget': GroupTargetPayload;
  'wa.commands.ChangeGroupParticipants': ChangeGroupParticipantsPayload;
  'wa.commands.PostStory': PostStoryPayload;
  'wa.commands.DeleteStory': DeleteStoryPayload;
  'wa.commands.CreateLabel': CreateLabelPayload;
  'wa.commands.LabelTarget': LabelTargetPayload;
  'wa.commands.LabelChat': LabelChatPayload;
  'wa.commands.CreateNewsletter': CreateNewsletterPayload;
}
export type PayloadName = keyof CommandPayloads;
export type CommandPayload = WrappedUnion<CommandPayloads>;

/** The decoded `wa.commands.Command`. */
export interface CommandValue {
  commandId: string;
  accountId: string;
  type: string;
  issuedAt: number;
  deadline: number;
  correlationId: string;
  idempotencyKey: string | null;
  requestedBy: string;
  payload: CommandPayload;
}

/** `wa.commands.CommandError`. */
export interface CommandErrorValue {
  code: string;
  message: string;
  retriable: boolean;
  statusCode: number | null;
  field: string | null;
}

/** What the connector knows about the account a command is for, as `decide` needs it. */
export interface AccountView {
  accountId: string;
  exists: boolean;
  /** A `wa.account.ConnectionState` symbol. */
  state: string;
  loggedOut: boolean;
  meJid: string | null;
}
