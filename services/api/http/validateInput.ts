import type { z } from 'zod';
import { WaError } from '../../shared/index.js';

/** Where an input came from; it names the field of an issue at the root. */
export type InputPart = 'params' | 'query' | 'body';

// Messages written here are phrased to follow the field name; a route's own messages
// (`z.string({ error: 'id is required' })`) win over them and are shown as they are.
const OURS = '\u0000';

type RawIssue = z.core.$ZodRawIssue;

function describe(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${article(String(issue.expected))}`;
    case 'too_small':
      return boundMessage('at least', issue.origin, issue.minimum, issue.inclusive);
    case 'too_big':
      return boundMessage('at most', issue.origin, issue.maximum, issue.inclusive);
    case 'invalid_format':
      return issue.format === 'regex' ? 'has an invalid format' : `must be a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return 'is not an accepted field';
    case 'invalid_union':
      return 'does not match any accepted form';
    default:
      return 'is invalid';
  }
}

function boundMessage(word: 'at least' | 'at most', origin: unknown, bound: unknown, inclusive: boolean | undefined): string {
  const limit = String(bound);
  switch (origin) {
    case 'string':
      return `must be ${word} ${limit} characters long`;
    case 'array':
    case 'set':
      return `must have ${word} ${limit} items`;
    default:
      if (inclusive === false) return `must be ${word === 'at least' ? 'greater' : 'less'} than ${limit}`;
      return `must be ${word} ${limit}`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The dotted field an issue is about (`contact.phone`, `to`), or the input part at the root. */
export function fieldOfIssue(issue: z.core.$ZodIssue, part: InputPart): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) path.push(issue.keys[0]!);
  if (path.length > 0) return path.join('.');
  return part === 'params' ? 'path' : part;
}

/** Validates one input part; the first issue becomes a 400 naming its field. */
export function validateInput<T>(schema: z.ZodType<T>, input: unknown, part: InputPart): T {
  const parsed = schema.safeParse(input, { error: (issue) => OURS + describe(issue) });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = fieldOfIssue(issue, part);
  const message = issue.message.startsWith(OURS) ? `${field} ${issue.message.slice(OURS.length)}` : issue.message;
  return invalid(field, message, parsed.error.issues.length);
}

function invalid(field: string, message: string, issues: number): never {
  throw new WaError('INVALID_ARGUMENT', message, { field, details: { issues } });
}
