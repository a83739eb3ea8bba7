export {
  AccountSessionState,
  SESSION_STATE_SCHEMA,
  WRITER_EPOCH_HEADER,
  credsLinked,
  type AccountSessionStateOptions,
  type SessionStateEntryValue,
  type SessionStateRecord,
} from './AccountSessionState.js';
export {
  CREDS_ENTRY_ID,
  CREDS_KIND,
  parseSessionStateKey,
  sessionEntryKind,
  sessionStateKey,
  type SessionEntryKind,
  type SessionStateKeyParts,
} from './sessionStateKey.js';
