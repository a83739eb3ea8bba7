// Small pieces every view uses: the confirmation dialog, error and status lines, the live
// stream hook, formatting.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type Api, type Channel } from './api';
import { followEvents, type LiveRecord, type StreamState } from './eventStream';

/** A modal confirmation for an action that loses data; Escape or Cancel closes it. */
export function ConfirmDialog(props: { title: string; children: ComponentChildren; confirmLabel: string; onConfirm: () => void; onCancel: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" aria-describedby="confirm-text" onCancel={(event) => (event.preventDefault(), props.onCancel())}>
      <h2 id="confirm-title">{props.title}</h2>
      <div id="confirm-text">{props.children}</div>
      <div class="row end">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" class="danger" onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** An error line, read out when it appears. */
export function ErrorNote(props: { error: unknown }) {
  if (props.error === null || props.error === undefined) return null;
  return (
    <p role="alert" class="error">
      {messageOf(props.error)}
    </p>
  );
}

/** The message of a thrown value, with the field the API named. */
function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.field ? `${error.message} (${error.field})` : error.message;
  return error instanceof Error ? error.message : String(error);
}

const STATE_TEXT: Readonly<Record<StreamState['kind'], string>> = {
  connecting: 'Connecting…',
  live: 'Live',
  paused: 'Paused',
  failed: 'Stopped',
};

/** The state of a live stream, as a status line. */
export function StreamBadge(props: { state: StreamState; label: string }) {
  const { state } = props;
  return (
    <p role="status" aria-label={props.label} class={`badge stream-${state.kind}`}>
      {STATE_TEXT[state.kind]}
      {state.kind === 'failed' ? `: ${state.message}` : ''}
    </p>
  );
}

/** An account's connection status as a badge. */
export function StatusBadge(props: { status: string }) {
  return <span class={`badge status-${props.status}`}>{props.status}</span>;
}

/**
 * Follows the live events of `filter` while mounted (null: none), calling `onEvent` for each;
 * a new filter starts a new stream.
 */
export function useLiveEvents(api: Api, filter: { accountIds: string[] | null; types: string[] | null } | null, onEvent: (record: LiveRecord) => void): StreamState {
  const [state, setState] = useState<StreamState>({ kind: 'connecting' });
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = filter === null ? null : JSON.stringify(filter);
  useEffect(() => {
    if (filter === null) return undefined;
    const controller = new AbortController();
    void followEvents(api, { ...filter, after: null, onEvent: (record) => handler.current(record), onState: setState }, controller.signal);
    return () => controller.abort();
  }, [api, key]);
  return state;
}

/**
 * A trigger that calls `fn` at each of `delays` (ms) after it; triggers while a round is
 * under way join it, so a busy stream does not multiply reads.
 */
export function useRefreshSoon(fn: () => void, delays: readonly number[]): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timers = useRef<number[]>([]);
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  return () => {
    if (timers.current.length > 0) return;
    const last = Math.max(...delays);
    timers.current = delays.map((ms) =>
      window.setTimeout(() => {
        if (ms === last) timers.current = [];
        latest.current();
      }, ms),
    );
  };
}

/**
 * What `load` answers for `key` (null: nothing to read), read again when `key` or `round`
 * change. A read that another has superseded is dropped; the value of an earlier key is never
 * shown for a new one, while a new round keeps showing the last value until it answers.
 */
export function useLoad<T>(key: string | null, load: () => Promise<T>, round = 0): { value: T | null; error: unknown } {
  const [loaded, setLoaded] = useState<{ key: string; value: T } | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (key === null) return undefined;
    let current = true;
    load().then(
      (value) => {
        if (!current) return;
        setLoaded({ key, value });
        setError(null);
      },
      (failure: unknown) => {
        if (current) setError(failure);
      },
    );
    return () => {
      current = false;
    };
  }, [key, round]);
  return { value: loaded !== null && loaded.key === key ? loaded.value : null, error };
}

/** The accounts the key may see: every one for the admin key, its own for an account key. */
export function useAccounts(api: Api, scope: string | null): { accounts: Channel[]; error: unknown; reload: () => void } {
  const [round, setRound] = useState(0);
  const { value, error } = useLoad(`accounts:${scope ?? ''}`, () => (scope === null ? api.channels() : api.channel(scope).then((one) => [one])), round);
  return { accounts: value ?? [], error, reload: () => setRound((n) => n + 1) };
}

/** A change the operator starts: `run` does it, `busy` while it runs, `error` what went wrong (cleared by the next). */
export function useAction(): { busy: boolean; error: unknown; run: (work: () => Promise<void>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** A table's column headings (a false entry is left out). */
export function ColumnHeads(props: { names: readonly (string | false)[] }) {
  return (
    <thead>
      <tr>
        {props.names.filter((name): name is string => name !== false).map((name) => (
          <th key={name} scope="col">
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A picker of one account (or all, when `allLabel` is given). */
export function AccountSelect(props: { id: string; accounts: readonly Channel[]; value: string; onChange: (value: string) => void; allLabel?: string }) {
  return (
    <label for={props.id}>
      Account
      <select id={props.id} value={props.value} onChange={(event) => props.onChange((event.currentTarget as HTMLSelectElement).value)}>
        {props.allLabel !== undefined && <option value="">{props.allLabel}</option>}
        {props.accounts.map((account) => (
          <option key={account.id} value={account.id}>
            {account.name && account.name !== account.id ? `${account.name} (${account.id})` : account.id}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A time as the operator's local date and time. */
export function formatTime(value: number | string | null): string {
  if (value === null) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

/** Values of a form, by field name. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  new FormData(form).forEach((value, name) => {
    if (typeof value === 'string') values[name] = value.trim();
  });
  return values;
}
