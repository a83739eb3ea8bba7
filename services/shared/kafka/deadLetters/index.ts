export {
  DEAD_LETTER_SCHEMA,
  DEAD_LETTER_TYPE,
  deadLetterId,
  deadLetterReason,
  deadLetterRecord,
  deadLetterValue,
  type ConsumerVerdict,
  type DeadLetterReason,
} from './deadLetterRecord.js';
export { DeadLetterWriter, deadLetterTopic, type DeadLetterWriterOptions } from './DeadLetterWriter.js';
