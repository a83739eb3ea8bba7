import { useEffect, useState } from 'preact/hooks';
import type { Api, Chat, Message } from './api';
import { AccountSelect, ErrorNote, StreamBadge, formatTime, useAccounts, useAction, useLiveEvents, useLoad, useRefreshSoon } from './ui';

const POLL_MS = 5_000;

/** What a message shows as its text: the text, the caption, or what kind of message it is. */
export function messageText(message: Message): string {
  if (message.deleted) return '(deleted)';
  if (message.text) return message.text;
  const file = message.media?.fileName ? ` ${message.media.fileName}` : '';
  return `[${message.type}${file}]${message.caption ? ` ${message.caption}` : ''}`;
}

/** Chats of an account and the messages of one, read from the read models, with a reply box. */
export function ChatsView(props: { api: Api; scope: string | null }) {
  const { api, scope } = props;
  const { accounts } = useAccounts(api, scope);
  const [account, setAccount] = useState(scope ?? '');
  const [chat, setChat] = useState<string | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (account === '' && accounts.length > 0) setAccount(accounts[0]!.id);
  }, [accounts]);

  // The read models follow the log a moment behind the live stream: read again shortly after an event, and now and then.
  const refreshSoon = useRefreshSoon(() => setRound((n) => n + 1), [300, 1_500, 4_000]);
  useEffect(() => {
    const timer = window.setInterval(() => setRound((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, []);
  const stream = useLiveEvents(api, account === '' ? null : { accountIds: [account], types: ['message.*', 'chat.*'] }, refreshSoon);
  const chatList = useLoad(account === '' ? null : JSON.stringify([account]), () => api.chats(account), round);
  const messageList = useLoad(account === '' || chat === null ? null : JSON.stringify([account, chat]), () => api.messages(account, chat!).then((list) => [...list].reverse()), round);
  const chats = chatList.value ?? [];

  return (
    <>
      <div class="card filters">
        <AccountSelect
          id="chats-account"
          accounts={accounts}
          value={account}
          onChange={(value) => {
            setAccount(value);
            setChat(null);
          }}
        />
        <button type="button" onClick={() => setRound((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {account !== '' && <StreamBadge state={stream} label="Chat updates" />}
      <ErrorNote error={chatList.error ?? messageList.error} />
      <div class="split">
        <nav aria-labelledby="chat-list-title" class="chat-list">
          <h2 id="chat-list-title">Chats ({chats.length})</h2>
          {chats.length === 0 && <p>No chats yet.</p>}
          <ul>
            {chats.map((c) => (
              <li key={c.id}>
                <button type="button" class="chat-button" aria-current={c.id === chat ? 'true' : undefined} onClick={() => setChat(c.id)}>
                  <span class="chat-name">{c.name ?? c.id}</span>
                  {c.name !== null && c.name !== c.id && <span class="chat-meta">{c.id}</span>}
                  <span class="chat-meta">
                    {c.unreadCount > 0 ? `${c.unreadCount} unread · ` : ''}
                    {formatTime(c.lastMessageAt)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        {chat !== null && (
          <Conversation
            api={api}
            account={account}
            chat={chats.find((c) => c.id === chat) ?? null}
            chatId={chat}
            messages={messageList.value ?? []}
            onSent={() => setRound((n) => n + 1)}
          />
        )}
      </div>
    </>
  );
}

function Conversation(props: { api: Api; account: string; chatId: string; chat: Chat | null; messages: readonly Message[]; onSent: () => void }) {
  const { api, account, chatId } = props;
  const sending = useAction();
  const [notice, setNotice] = useState('');
  const title = props.chat?.name ?? chatId;

  const send = (event: Event, what: 'text' | 'file') => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setNotice('');
    return sending.run(async () => {
      if (what === 'text') {
        await api.sendText(account, chatId, String(data.get('message') ?? ''));
      } else {
        const file = data.get('file');
        if (!(file instanceof File) || file.size === 0) throw new Error('Choose a file to send');
        await api.sendFile(account, chatId, file, String(data.get('caption') ?? ''));
      }
      form.reset();
      setNotice(what === 'text' ? 'Message sent' : 'File sent');
      props.onSent();
    });
  };

  return (
    <section class="conversation" aria-labelledby="conversation-title">
      <h2 id="conversation-title">{title}</h2>
      <div role="log" aria-label={`Messages with ${title}`}>
      <ol class="messages">
        {props.messages.map((message) => (
          <li key={message.id} class={message.fromMe ? 'mine' : 'theirs'}>
            <p class="bubble">{messageText(message)}</p>
            <p class="meta">
              {message.fromMe ? 'Sent' : 'Received'} {formatTime(message.timestamp)}
              {message.status ? ` · ${message.status}` : ''}
            </p>
          </li>
        ))}
      </ol>
      </div>
      <form onSubmit={(event) => send(event, 'text')} aria-label="Send a message">
        <label for="reply-text">Message</label>
        <textarea id="reply-text" name="message" rows={2} required maxLength={65536} />
        <button type="submit" disabled={sending.busy}>
          Send
        </button>
      </form>
      <form onSubmit={(event) => send(event, 'file')} aria-label="Send a file">
        <label for="reply-file">File</label>
        <input id="reply-file" name="file" type="file" required />
        <label for="reply-caption">Caption</label>
        <input id="reply-caption" name="caption" maxLength={4096} autocomplete="off" />
        <button type="submit" disabled={sending.busy}>
          Send file
        </button>
      </form>
      <p role="status" class="notice">
        {notice}
      </p>
      <ErrorNote error={sending.error} />
    </section>
  );
}
