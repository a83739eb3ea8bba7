export { COMMAND_TYPES, isCommandType, payloadBranch, payloadOf, type CommandKind, type CommandType, type PayloadOf } from './commandTypes.js';
export type * from './CommandValue.js';
export { CHAT, MESSAGE_CHAT, PERSON, bareJid, isJidOf, jidKind, jidUser, phoneDigits, sameUser, type JidKind } from './jids.js';
export { settlesCommand, settlesCommandSql, type ResultOutcome } from './settlesCommand.js';
