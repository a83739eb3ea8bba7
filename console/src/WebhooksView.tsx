import { useState } from 'preact/hooks';
import type { Api, Attempt, Webhook } from './api';
import { ColumnHeads, ConfirmDialog, ErrorNote, formValues, formatTime, useAction, useLoad } from './ui';

/** Webhook subscriptions; per subscription its delivery attempts and dead letters, which can be redelivered. */
export function WebhooksView(props: { api: Api; scope: string | null }) {
  const { api, scope } = props;
  const [selected, setSelected] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Webhook | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const action = useAction();
  const [round, setRound] = useState(0);
  const list = useLoad(scope === null ? 'webhooks' : null, api.webhooks, round);
  const hooks = list.value ?? [];

  if (scope !== null) return <p>Webhook subscriptions are managed with the admin key.</p>;

  /** Runs a change, then reads the list again whatever came of it. */
  const act = (work: () => Promise<void>) => action.run(work).finally(() => setRound((n) => n + 1));

  const register = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const values = formValues(form);
    const events = (values['events'] ?? '').split(',').map((type) => type.trim()).filter(Boolean);
    return act(async () => {
      const answer = await api.registerWebhook(values['url'] ?? '', events);
      setSecret(typeof answer['secret'] === 'string' ? answer['secret'] : null);
      form.reset();
    });
  };
  // Registering the same URL again enables a webhook its endpoint disabled (410 Gone).
  const enable = (hook: Webhook) => act(async () => void (await api.registerWebhook(hook.url, hook.events)));
  const remove = (hook: Webhook) => {
    setRemoving(null);
    return act(async () => {
      await api.deleteWebhook(hook.id);
      if (selected === hook.id) setSelected(null);
    });
  };

  return (
    <>
      <form class="card" onSubmit={register} aria-labelledby="webhook-new-title">
        <h2 id="webhook-new-title">Register a webhook</h2>
        <div class="fields">
          <label for="webhook-url">
            URL
            <input id="webhook-url" name="url" type="url" required maxLength={2048} autocomplete="off" />
          </label>
          <label for="webhook-events">
            Event types (comma-separated, empty: all)
            <input id="webhook-events" name="events" placeholder="message.received,message.sent" autocomplete="off" />
          </label>
        </div>
        <button type="submit">Register webhook</button>
        {secret !== null && (
          <p role="status">
            Signing secret (shown once): <code class="code">{secret}</code>
          </p>
        )}
      </form>
      <ErrorNote error={action.error ?? list.error} />
      <h2 id="webhooks-title">Subscriptions ({hooks.length})</h2>
      {hooks.length === 0 && <p>No webhooks registered.</p>}
      <div class="table-wrap">
        <table aria-labelledby="webhooks-title">
          <ColumnHeads names={['URL', 'Scope', 'Events', 'State', 'Actions']} />
          <tbody>
            {hooks.map((hook) => (
              <tr key={hook.id}>
                <th scope="row" class="url">
                  {hook.url}
                </th>
                <td>{hook.scope === 'GLOBAL' ? 'all accounts' : hook.accountId}</td>
                <td>{hook.events.length === 0 ? 'all' : hook.events.join(', ')}</td>
                <td>{hook.enabled ? 'enabled' : `disabled${hook.disabledReason ? `: ${hook.disabledReason}` : ''}`}</td>
                <td class="row">
                  {!hook.enabled && (
                    <button type="button" aria-label={`Enable ${hook.url}`} onClick={() => void enable(hook)}>
                      Enable
                    </button>
                  )}
                  <button type="button" aria-label={`Deliveries of ${hook.url}`} aria-pressed={selected === hook.id} onClick={() => setSelected(hook.id)}>
                    Deliveries
                  </button>
                  <button type="button" class="danger" aria-label={`Delete ${hook.url}`} onClick={() => setRemoving(hook)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected !== null && <Deliveries api={api} hook={hooks.find((h) => h.id === selected) ?? null} id={selected} onRefresh={() => setRound((n) => n + 1)} />}
      {removing !== null && (
        <ConfirmDialog title="Delete this webhook?" confirmLabel="Delete webhook" onCancel={() => setRemoving(null)} onConfirm={() => void remove(removing)}>
          <p>
            <code>{removing.url}</code> stops receiving events; deliveries still waiting for a retry are cancelled.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function Deliveries(props: { api: Api; id: string; hook: Webhook | null; onRefresh: () => void }) {
  const { api, id } = props;
  const action = useAction();
  const [notice, setNotice] = useState('');
  const [round, setRound] = useState(0);
  const log = useLoad(id, () => Promise.all([api.attempts(id), api.deadLetters(id)]), round);
  const [attempts, dead] = log.value ?? [[], []];

  const refresh = () => {
    setRound((n) => n + 1);
    props.onRefresh();
  };
  const redeliver = (what: { eventId: string } | { deadLetters: true }) => {
    setNotice('');
    return action
      .run(async () => {
        const answer = await api.redeliver(id, what);
        setNotice(`${answer.queued} queued for delivery${answer.missing ? `, ${answer.missing} no longer on the log` : ''}`);
      })
      .finally(refresh);
  };

  return (
    <section class="card" aria-labelledby="deliveries-title">
      <div class="row spread">
        <h2 id="deliveries-title">Deliveries to {props.hook?.url ?? id}</h2>
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      </div>
      <p role="status" class="notice">
        {notice}
      </p>
      <ErrorNote error={action.error ?? log.error} />
      <AttemptTable title="Delivery attempts" rows={attempts} />
      <div class="row spread">
        <h3 id="dead-title">Dead letters ({dead.length})</h3>
        <button type="button" disabled={dead.length === 0} onClick={() => void redeliver({ deadLetters: true })}>
          Redeliver all dead letters
        </button>
      </div>
      <AttemptTable title="Dead letters" rows={dead} onRedeliver={(eventId) => void redeliver({ eventId })} />
    </section>
  );
}

function AttemptTable(props: { title: string; rows: readonly Attempt[]; onRedeliver?: (eventId: string) => void }) {
  if (props.rows.length === 0) return <p>{props.title}: none.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption>{props.title}</caption>
        <ColumnHeads names={['When', 'Event', 'Try', 'Outcome', 'Status', 'Latency', 'Error', props.onRedeliver !== undefined && 'Action']} />
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.attemptId}>
              <td>{formatTime(row.attemptedAt)}</td>
              <td>
                {row.eventType} <span class="muted">{row.accountId}</span>
              </td>
              <td>{row.attempt}</td>
              <td>{row.outcome}</td>
              <td>{row.statusCode ?? '—'}</td>
              <td>{row.latencyMs} ms</td>
              <td>{row.error ?? ''}</td>
              {props.onRedeliver && (
                <td>
                  <button type="button" aria-label={`Redeliver event ${row.eventId}`} onClick={() => props.onRedeliver!(row.eventId)}>
                    Redeliver
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
