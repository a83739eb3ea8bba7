import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from './api';
import { envelopeOf, followEvents, payloadOf, type LiveRecord, type StreamState } from './eventStream';
import { AccountSelect, ErrorNote, StreamBadge, formatTime, useAccounts } from './ui';

const KEEP = 300;
const TYPE_LIST = /^([a-z_]+(\.[a-z_]+)*(\.\*)?|\*)(,([a-z_]+(\.[a-z_]+)*(\.\*)?|\*))*$/;

/** A short line about an event's payload: its text if it has one, else its state, code or name. */
export function summaryOf(record: LiveRecord): string {
  for (const fields of [['text', 'caption'], ['state', 'code', 'name']]) {
    const found = firstString(payloadOf(record), fields);
    if (found !== null) return found.length > 120 ? `${found.slice(0, 117)}…` : found;
  }
  return '';
}

/** The first non-empty string under one of `fields`, searched level by level (the shallowest wins). */
function firstString(root: unknown, fields: readonly string[]): string | null {
  let level: unknown[] = [root];
  for (let depth = 0; depth < 6 && level.length > 0; depth += 1) {
    const next: unknown[] = [];
    for (const value of level) {
      if (!value || typeof value !== 'object') continue;
      const record = value as Record<string, unknown>;
      for (const field of fields) {
        const found = record[field];
        if (typeof found === 'string' && found !== '' && found !== 'UNKNOWN') return found;
      }
      next.push(...Object.values(record));
    }
    level = next;
  }
  return null;
}

/**
 * The live stream, for every account or one, filtered by type. Pausing ends the stream and
 * remembers where it was; resuming continues from there (Last-Event-ID), so nothing is missed.
 */
export function EventsView(props: { api: Api; scope: string | null }) {
  const { api, scope } = props;
  const { accounts } = useAccounts(api, scope);
  const [account, setAccount] = useState(scope ?? '');
  const [types, setTypes] = useState('');
  const [typesError, setTypesError] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);
  const [state, setState] = useState<StreamState>({ kind: 'connecting' });
  const [records, setRecords] = useState<LiveRecord[]>([]);
  const last = useRef<string | null>(null);

  useEffect(() => {
    if (paused) {
      setState({ kind: 'paused' });
      return undefined;
    }
    const controller = new AbortController();
    void followEvents(
      api,
      {
        accountIds: account === '' ? null : [account],
        types: types === '' ? null : types.split(','),
        after: last.current,
        onEvent: (record) => {
          if (record.id) last.current = record.id;
          setRecords((shown) => [record, ...shown].slice(0, KEEP));
        },
        onState: setState,
      },
      controller.signal,
    );
    return () => controller.abort();
  }, [api, account, types, paused]);

  const applyFilter = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const wanted = String(new FormData(form).get('types') ?? '').replace(/\s+/g, '');
    if (wanted !== '' && !TYPE_LIST.test(wanted)) {
      setTypesError('Event types are dotted names, comma-separated, e.g. message.received,connection.*');
      return;
    }
    setTypesError(null);
    // A new filter is a new stream from now: the old position belongs to another selection.
    last.current = null;
    setTypes(wanted);
  };

  return (
    <>
      <form class="card filters" onSubmit={applyFilter} aria-label="Event filter">
        <AccountSelect
          id="events-account"
          accounts={accounts}
          value={account}
          allLabel={scope === null ? 'All accounts' : undefined}
          onChange={(value) => {
            last.current = null;
            setAccount(value);
          }}
        />
        <label for="events-types">
          Event types
          <input id="events-types" name="types" placeholder="message.*,connection.state" autocomplete="off" aria-describedby="events-types-hint" />
        </label>
        <p id="events-types-hint" class="hint">
          Comma-separated; <code>message.*</code> matches every message event. Empty: all.
        </p>
        <div class="row">
          <button type="submit">Apply filter</button>
          <button type="button" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" onClick={() => setRecords([])}>
            Clear
          </button>
        </div>
        <ErrorNote error={typesError} />
      </form>
      <StreamBadge state={state} label="Event stream" />
      <h2 id="events-title">Events ({records.length})</h2>
      <div role="log" aria-labelledby="events-title">
        <ol class="events">
          {records.map((record) => (
            <EventItem key={record.id ?? record.eventId} record={record} />
          ))}
        </ol>
      </div>
    </>
  );
}

function EventItem(props: { record: LiveRecord }) {
  const { record } = props;
  const summary = summaryOf(record);
  return (
    <li>
      <details>
        <summary>
          <span class="type">{record.type}</span>
          <span class="who">{record.accountId}</span>
          {record.chatJid && <span class="chat">{record.chatJid}</span>}
          <time dateTime={new Date(record.occurredAt).toISOString()}>{formatTime(record.occurredAt)}</time>
          {summary && <span class="summary">{summary}</span>}
        </summary>
        <div class="json-pair">
          <section aria-label="Envelope">
            <h3>Envelope</h3>
            <pre>{JSON.stringify(envelopeOf(record), null, 2)}</pre>
          </section>
          <section aria-label="Payload">
            <h3>Payload</h3>
            <pre>{JSON.stringify(payloadOf(record), null, 2)}</pre>
          </section>
        </div>
      </details>
    </li>
  );
}
