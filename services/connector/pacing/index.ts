export { TokenBucket, WHATSAPP_SEND_PACING, type TakeResult, type TokenBucketOptions } from './TokenBucket.js';
export { SendPacer, SYSTEM_CLOCK, type PacerClock, type SendPacerOptions } from './SendPacer.js';
