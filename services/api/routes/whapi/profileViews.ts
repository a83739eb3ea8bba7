import { z } from 'zod';
import type { CommandResultValue } from '../../ApiServices.js';
import { resultBranch } from '../../http/commandOutcome.js';

/** `wa.account.Profile` as decoded. */
export interface ProfileValue {
  jid: string | null;
  name: string | null;
  statusText: string | null;
  pictureUrl: string | null;
}

/** A profile as the document shows it: `{ name, status, picture }`. */
export const profileSchema = z.object({
  name: z.string().nullable().meta({ example: 'John Doe' }),
  status: z.string().nullable().meta({ description: 'the "about" text', example: 'Hey there! I am using WhatsApp.' }),
  picture: z.string().nullable().meta({ description: 'profile picture URL', example: 'https://pps.whatsapp.net/v/t61.24694-24/...' }),
});
export type ProfileBody = z.infer<typeof profileSchema>;

/** The profile a profile command (`profile.fetch`, `profile.update`, `profile.picture.update`) answered. */
export function profileBody(result: CommandResultValue): ProfileBody {
  const profile = resultBranch<ProfileValue>(result, 'wa.account.Profile');
  return { name: profile.name, status: profile.statusText, picture: profile.pictureUrl };
}
