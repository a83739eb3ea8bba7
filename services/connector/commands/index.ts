export { decide, type Decision } from './decide.js';
export { execute, type ExecuteDeps, type ExecutionOutcome } from './execute.js';
export { commandError, deadlineExceeded } from './commandError.js';
export { outboundMessageId } from './outboundMessageId.js';
export { COMMAND_TYPES, isCommandType, payloadBranch, payloadOf, type CommandKind, type CommandType, type PayloadOf } from '../../shared/commands/index.js';
export type {
  AccountView,
  CommandErrorValue,
  CommandPayload,
  CommandPayloads,
  CommandValue,
  MediaRefValue,
  MessageKeyValue,
  MessageTargetValue,
  PayloadName,
  SendableContent,
  SendableContents,
  StoryContent,
  WrappedUnion,
} from '../../shared/commands/index.js';
