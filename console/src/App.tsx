import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api } from './api';
import { AccountsView } from './AccountsView';
import { AnalyticsView } from './AnalyticsView';
import { ChatsView } from './ChatsView';
import { EventsView } from './EventsView';
import { clearSession, loadSession, saveSession, signIn, type Session } from './session';
import { ErrorNote, formValues } from './ui';
import { WebhooksView } from './WebhooksView';

const SECTIONS = [
  { id: 'accounts', title: 'Accounts' },
  { id: 'events', title: 'Live events' },
  { id: 'chats', title: 'Chats' },
  { id: 'webhooks', title: 'Webhooks' },
  { id: 'analytics', title: 'Analytics' },
] as const;
type SectionId = (typeof SECTIONS)[number]['id'];

function sectionOfHash(hash: string): SectionId {
  const id = hash.replace(/^#\/?/, '');
  return SECTIONS.find((section) => section.id === id)?.id ?? 'accounts';
}

/** The console: the sign-in form until a key is accepted, then the sections. */
export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  if (session === null) {
    return (
      <SignIn
        onSignedIn={(accepted) => {
          saveSession(accepted);
          setSession(accepted);
        }}
      />
    );
  }
  return (
    <Console
      session={session}
      onSignOut={() => {
        clearSession();
        setSession(null);
      }}
    />
  );
}

function SignIn(props: { onSignedIn: (session: Session) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const values = formValues(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      props.onSignedIn(await signIn(values['key'] ?? '', values['account'] ?? ''));
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <h1>wa-backbone console</h1>
      <form onSubmit={submit} aria-labelledby="signin-title">
        <h2 id="signin-title">Sign in</h2>
        <label for="signin-key">API key</label>
        <input id="signin-key" name="key" type="password" autocomplete="off" required />
        <label for="signin-account">Account ID (only for an account key)</label>
        <input id="signin-account" name="account" autocomplete="off" />
        <p class="hint">The key is kept in this tab only (session storage) and sent with every call.</p>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

function Console(props: { session: Session; onSignOut: () => void }) {
  const { session } = props;
  const api = useMemo(() => new Api(session.key), [session.key]);
  const [section, setSection] = useState<SectionId>(() => sectionOfHash(location.hash));
  useEffect(() => {
    const follow = () => setSection(sectionOfHash(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  const current = SECTIONS.find((s) => s.id === section)!;
  useEffect(() => {
    document.title = `${current.title} · wa-backbone console`;
  }, [current]);
  return (
    <>
      <header class="top">
        <p class="brand">wa-backbone</p>
        <nav aria-label="Sections">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.id}>
                <a href={`#/${s.id}`} aria-current={s.id === section ? 'page' : undefined}>
                  {s.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p class="who">{session.scope === null ? 'Admin key' : `Account key: ${session.scope}`}</p>
        <button type="button" class="link" onClick={props.onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main">
        <h1>{current.title}</h1>
        {section === 'accounts' && <AccountsView api={api} scope={session.scope} />}
        {section === 'events' && <EventsView api={api} scope={session.scope} />}
        {section === 'chats' && <ChatsView api={api} scope={session.scope} />}
        {section === 'webhooks' && <WebhooksView api={api} scope={session.scope} />}
        {section === 'analytics' && <AnalyticsView api={api} scope={session.scope} />}
      </main>
    </>
  );
}
