import { useEffect, useState } from 'preact/hooks';
import type { Api, Channel, ChannelStatus } from './api';
import { payloadOf, type LiveRecord } from './eventStream';
import { ConfirmDialog, ErrorNote, StatusBadge, StreamBadge, formValues, formatTime, useAccounts, useAction, useLiveEvents, useRefreshSoon } from './ui';

/** A `connection.state` (wa.account.ConnectionState) as the channel status the API reports. */
export function statusOfState(state: string): ChannelStatus {
  switch (state) {
    case 'CONNECTED':
      return 'connected';
    case 'QR':
    case 'PAIRING':
      return 'qr';
    case 'CONNECTING':
    case 'RECONNECTING':
      return 'connecting';
    default:
      return 'disconnected';
  }
}

function stateOf(record: LiveRecord): string | null {
  const payload = payloadOf(record) as { state?: unknown } | null;
  return typeof payload?.state === 'string' ? payload.state : null;
}

type Action = 'connect' | 'disconnect' | 'logout' | 'delete';
interface Pending {
  action: 'logout' | 'delete';
  id: string;
}

const ACCOUNT_ID = '^[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}$';

/** Accounts with their live status: create, link (QR or pairing code), disconnect, log out, delete. */
export function AccountsView(props: { api: Api; scope: string | null }) {
  const { api, scope } = props;
  const { accounts, error: listError, reload } = useAccounts(api, scope);
  const [live, setLive] = useState<Record<string, ChannelStatus>>({});
  const [linking, setLinking] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const action = useAction();
  const [notice, setNotice] = useState('');
  // The read model follows the log a moment behind the stream: read it again shortly after.
  const reloadSoon = useRefreshSoon(reload, [300, 1_500]);
  const stream = useLiveEvents(api, { accountIds: scope === null ? null : [scope], types: ['account.*', 'connection.state'] }, (record) => {
    const state = record.type === 'connection.state' ? stateOf(record) : null;
    if (state !== null) setLive((all) => ({ ...all, [record.accountId]: statusOfState(state) }));
    reloadSoon();
  });

  // One change at a time per account; the list is read again after each.
  const change = (id: string, work: () => Promise<void>) => {
    setBusy(id);
    return action.run(work).finally(() => {
      setBusy(null);
      reloadSoon();
    });
  };
  const run = (id: string, kind: Action) =>
    change(id, async () => {
      switch (kind) {
        case 'connect':
          setLinking(id);
          await api.connect(id);
          return;
        case 'disconnect':
          await api.disconnect(id);
          setNotice(`${id} disconnected`);
          return;
        case 'logout':
          await api.logout(id);
          setNotice(`${id} logged out`);
          return;
        case 'delete':
          await api.deleteAccount(id);
          if (linking === id) setLinking(null);
          setNotice(`${id} deleted`);
          return;
        default: {
          const never: never = kind;
          throw new Error(`unknown action ${String(never)}`);
        }
      }
    });

  const create = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const values = formValues(form);
    const id = values['id'] ?? '';
    return change(id, async () => {
      await api.createAccount(id, values['name'] ?? '');
      form.reset();
      setNotice(`${id} created`);
      setLinking(id);
    });
  };

  return (
    <>
      <StreamBadge state={stream} label="Account status stream" />
      {scope === null && (
        <form class="card" onSubmit={create} aria-labelledby="create-title">
          <h2 id="create-title">Create an account</h2>
          <div class="fields">
            <label for="create-id">
              Account ID
              <input id="create-id" name="id" required pattern={ACCOUNT_ID} maxLength={64} autocomplete="off" aria-describedby="create-id-hint" />
            </label>
            <label for="create-name">
              Name
              <input id="create-name" name="name" maxLength={200} autocomplete="off" />
            </label>
          </div>
          <p id="create-id-hint" class="hint">
            Letters, digits, dot, dash and underscore; it starts linking at once.
          </p>
          <button type="submit" disabled={busy !== null}>
            Create account
          </button>
        </form>
      )}
      <p role="status" class="notice">
        {notice}
      </p>
      <ErrorNote error={action.error ?? listError} />
      {linking !== null && <LinkPanel api={api} id={linking} onClose={() => setLinking(null)} />}
      <h2 id="accounts-title">Accounts ({accounts.length})</h2>
      {accounts.length === 0 && <p>No accounts yet.</p>}
      <ul class="cards" aria-labelledby="accounts-title">
        {accounts.map((account) => (
          <AccountCard
            key={account.id}
            account={account}
            status={live[account.id] ?? account.status}
            busy={busy === account.id}
            onAction={(action) => (action === 'logout' || action === 'delete' ? setPending({ action, id: account.id }) : void run(account.id, action))}
          />
        ))}
      </ul>
      {pending !== null && (
        <ConfirmDialog
          title={pending.action === 'delete' ? `Delete ${pending.id}?` : `Log out ${pending.id}?`}
          confirmLabel={pending.action === 'delete' ? 'Delete account' : 'Log out'}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            setPending(null);
            void run(pending.id, pending.action);
          }}
        >
          {pending.action === 'delete' ? (
            <p>Its messages, media, session and settings are deleted. This cannot be undone.</p>
          ) : (
            <p>The WhatsApp session is deleted: linking again needs a new QR scan or pairing code.</p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}

function AccountCard(props: { account: Channel; status: ChannelStatus; busy: boolean; onAction: (action: Action) => void }) {
  const { account, status, busy } = props;
  const titleId = `account-${account.id}`;
  return (
    <li>
      <article class="card" aria-labelledby={titleId}>
        <h3 id={titleId}>{account.id}</h3>
        <dl class="facts">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={status} />
          </dd>
          <dt>Name</dt>
          <dd>{account.name ?? '—'}</dd>
          <dt>Phone</dt>
          <dd>{account.phone ? `+${account.phone}` : '—'}</dd>
          <dt>Created</dt>
          <dd>{formatTime(account.createdAt)}</dd>
        </dl>
        <div class="row">
          <button type="button" disabled={busy || status === 'connected'} onClick={() => props.onAction('connect')}>
            Connect
          </button>
          <button type="button" disabled={busy || status === 'disconnected'} onClick={() => props.onAction('disconnect')}>
            Disconnect
          </button>
          <button type="button" class="danger" disabled={busy} onClick={() => props.onAction('logout')}>
            Log out
          </button>
          <button type="button" class="danger" disabled={busy} onClick={() => props.onAction('delete')}>
            Delete
          </button>
        </div>
      </article>
    </li>
  );
}

const FALLBACK_POLL_MS = 4_000;

/**
 * Linking one account: its QR as an image, fetched again whenever WhatsApp rotates it (a
 * `connection.qr` event), or a pairing code for a phone number; closes on nothing by itself, so
 * the operator sees it connect.
 */
function LinkPanel(props: { api: Api; id: string; onClose: () => void }) {
  const { api, id } = props;
  const [status, setStatus] = useState<ChannelStatus | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [rotations, setRotations] = useState(0);
  const [code, setCode] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const refresh = async () => {
    try {
      const [next, image] = await Promise.all([api.status(id), api.qr(id)]);
      setStatus(next.status);
      setQr(next.status === 'connected' ? null : image);
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  };
  const stream = useLiveEvents(api, { accountIds: [id], types: ['connection.*'] }, (record) => {
    switch (record.type) {
      case 'connection.qr':
        setRotations((n) => n + 1);
        void refresh();
        return;
      case 'connection.pairing_code': {
        const payload = payloadOf(record) as { code?: unknown } | null;
        if (typeof payload?.code === 'string') setCode(payload.code);
        return;
      }
      case 'connection.state': {
        const state = stateOf(record);
        if (state !== null) setStatus(statusOfState(state));
        if (state === 'CONNECTED') setQr(null);
        return;
      }
      default:
        return;
    }
  });
  // Once the stream is live nothing is missed; what happened before it is read once. A slow
  // poll covers a QR issued while the stream was starting.
  useEffect(() => {
    if (stream.kind === 'live') void refresh();
  }, [stream.kind]);
  useEffect(() => {
    setQr(null);
    setCode(null);
    setStatus(null);
    void refresh();
    const timer = window.setInterval(() => void refresh(), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [id]);

  const pairing = useAction();
  const pair = (event: Event) => {
    event.preventDefault();
    const phone = (formValues(event.currentTarget as HTMLFormElement)['phone'] ?? '').replace(/[^\d]/g, '');
    return pairing.run(async () => {
      const answer = await api.pairingCode(id, phone);
      if (answer.pairingCode) setCode(answer.pairingCode);
      setStatus(answer.status);
    });
  };

  return (
    <section class="card link" aria-labelledby="link-title">
      <div class="row spread">
        <h2 id="link-title">Link {id}</h2>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
      <p role="status" aria-label={`Link status of ${id}`}>
        {status === null ? 'Reading the status…' : status === 'connected' ? `${id} is connected` : `Status: ${status}`}
      </p>
      {status !== 'connected' && (
        <div class="link-ways">
          <figure>
            {qr ? <img src={qr} alt={`QR code to link ${id}`} width={264} height={264} /> : <p class="qr-wait">Waiting for a QR code…</p>}
            <figcaption>
              Scan it in WhatsApp: Settings, Linked devices, Link a device. It is replaced as WhatsApp rotates it
              {rotations > 0 ? ` (${rotations} new since this panel opened)` : ''}.
            </figcaption>
          </figure>
          <form onSubmit={pair} aria-labelledby="pair-title">
            <h3 id="pair-title">Or link with a pairing code</h3>
            <label for="pair-phone">Phone number (with country code)</label>
            <input id="pair-phone" name="phone" type="tel" inputMode="tel" autocomplete="off" required />
            <button type="submit" disabled={pairing.busy}>
              Get pairing code
            </button>
            {code !== null && (
              <p>
                Pairing code: <strong class="code">{code}</strong>
              </p>
            )}
          </form>
        </div>
      )}
      <ErrorNote error={pairing.error ?? error} />
      <StreamBadge state={stream} label={`Link events of ${id}`} />
    </section>
  );
}
