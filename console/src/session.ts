// The key lives in sessionStorage: it is gone when the tab closes, and never in a URL or cookie.
import { Api, ApiError } from './api';

/** Who is signed in: the key, and the account it is bound to (null for the admin key). */
export interface Session {
  key: string;
  scope: string | null;
}

const STORAGE_KEY = 'wa-console.session';

/** The session of this tab, if one was started. */
export function loadSession(): Session | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return value && typeof value.key === 'string' ? { key: value.key, scope: value.scope ?? null } : null;
  } catch {
    return null;
  }
}

/** Keeps the session for this tab. */
export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

/** Forgets the key. */
export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/**
 * Checks a key against the API: the admin key lists every account; an account key is refused
 * that (403) and must name its account, which it may read.
 */
export async function signIn(key: string, account: string): Promise<Session> {
  const api = new Api(key);
  try {
    await api.channels();
    return { key, scope: null };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
  }
  if (account === '') throw new ApiError('This is an account key: enter its account ID too', 403, 'FORBIDDEN', 'account');
  await api.channel(account);
  return { key, scope: account };
}
