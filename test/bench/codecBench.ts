import type { AvroCodec } from '../../schemas/index.js';
import { sendTextCommand, textReceivedEvent } from '../helpers/index.js';
import type { Figure } from './stats.js';

function rate(iterations: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(iterations, 5_000); i++) fn(i); // warm up the JIT
  const started = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return Math.round(iterations / ((performance.now() - started) / 1000));
}

/** Single-object encode / decode rates of realistic records. */
export function codecBench(codec: AvroCodec, iterations: number): Figure[] {
  const event = 'wa.conversation.ConversationEvent';
  const command = 'wa.commands.Command';
  const events = Array.from({ length: 1_000 }, (_, i) => textReceivedEvent(`bench-${i % 100}`, i));
  const commands = Array.from({ length: 1_000 }, (_, i) => sendTextCommand(`bench-${i % 100}`, i));
  const encodedEvents = events.map((e) => codec.encode(event, e));
  const encodedCommands = commands.map((c) => codec.encode(command, c));
  return [
    { name: 'encode message.received event', value: rate(iterations, (i) => codec.encode(event, events[i % 1_000])), unit: 'records/s' },
    { name: 'decode message.received event', value: rate(iterations, (i) => codec.decode(encodedEvents[i % 1_000]!)), unit: 'records/s' },
    { name: 'encode message.send command', value: rate(iterations, (i) => codec.encode(command, commands[i % 1_000])), unit: 'records/s' },
    { name: 'decode message.send command', value: rate(iterations, (i) => codec.decode(encodedCommands[i % 1_000]!)), unit: 'records/s' },
    { name: 'encoded event size', value: encodedEvents[0]!.length, unit: 'bytes' },
  ];
}
