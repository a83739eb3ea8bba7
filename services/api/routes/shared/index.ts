export { ACCOUNT_ID_PATTERN, PAGE_LIMIT, type FieldOptions, accountIdField, accountIdSchema, booleanField, jidSchema, messageIdField, messageIdSchema, numberField, offsetPagingSchema, optionalText, pageOf, phoneField, phoneSchema, recipientSchema, skipPagingSchema } from './fieldSchemas.js';
export { personJid, recipientJid, requireJid } from './recipientJid.js';
export { MEDIA_KINDS, locationContent, mediaContent, mediaRef, textContent, type MediaExtras, type MediaKind } from './mediaContent.js';
export { contactContent, contactsContent, vcard } from './vcard.js';
export { sendMessageCommand, type SendOptions } from './sendMessageCommand.js';
export { commandRequest, requestedBy } from './commandRequest.js';
export { documentedFailure, documentedOutcome, type DocumentedError, type DocumentedErrors } from './documentedOutcome.js';
export { sentMessageBody, sentMessageSchema, type MessageSentResultValue, type SentMessageBody } from './sentMessageBody.js';
export { messageTarget, targetFromRow } from './messageTarget.js';
export { ACCEPTED, AUTH_ERRORS, responses } from './responses.js';
export { connectResultOf, formatPairingCode, type ConnectResultValue } from './connectResult.js';
export {
  WHAPI_STATUSES,
  WILDCAT_STATUSES,
  accountResultToRow,
  accountRowToChannel,
  accountRowToWildcat,
  accountStatusOf,
  channelSchema,
  defaultCollectionName,
  whapiStatus,
  wildcatAccountSchema,
  wildcatStatus,
  type AccountResultValue,
  type Channel,
  type WhapiStatus,
  type WildcatAccount,
  type WildcatStatus,
} from './accountViews.js';
export { chatRowToWhapi, chatRowToWildcat, whapiChatSchema, wildcatChatSchema, type WhapiChat, type WildcatChat } from './chatViews.js';
export { messageRowToWhapi, messageRowToWildcat, whapiMessageSchema, wildcatMessageSchema, type WhapiMessage, type WildcatMessage } from './messageViews.js';
export { webhookEventsSchema, webhookSchema, webhookSecretSchema, webhookUrlSchema, webhookViewBody, type WebhookBody } from './webhookViews.js';
export { connectPayload, deleteAccountPayload, endSessionPayload } from './accountCommands.js';
export {
  ATTEMPT_OUTCOMES,
  instantOf,
  outcomeName,
  redeliverBody,
  redeliveredBody,
  redeliveredSchema,
  redeliverySelection,
  webhookAttemptBody,
  webhookAttemptSchema,
  webhookAttemptsFilter,
  webhookAttemptsQuery,
  webhookAttemptsSchema,
  webhookDeadLettersSchema,
  webhookLogBody,
  webhookLogPage,
  webhookLogPagingSchema,
  type AttemptOutcomeName,
  type RedeliverBody,
  type WebhookAttemptBody,
} from './webhookLogViews.js';
export { redeliverAnswer, webhookAttemptsAnswer, webhookDeadLettersAnswer } from './webhookLog.js';
