import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountRow, AccountStatus, ChatRow, MessageRow } from '../../../../projections/readModels/index.js';
import type { WebhookView } from '../../ApiServices.js';
import {
  accountResultToRow,
  accountRowToChannel,
  accountRowToWildcat,
  accountStatusOf,
  channelSchema,
  whapiStatus,
  wildcatAccountSchema,
  wildcatStatus,
} from './accountViews.js';
import { chatRowToWhapi, chatRowToWildcat, whapiChatSchema, wildcatChatSchema } from './chatViews.js';
import { messageRowToWhapi, messageRowToWildcat, whapiMessageSchema, wildcatMessageSchema } from './messageViews.js';
import { webhookSchema, webhookViewBody } from './webhookViews.js';

const CREATED = Date.parse('2025-11-08T12:30:45.123Z');

function account(overrides: Partial<AccountRow> = {}): AccountRow {
  return {
    accountId: 'mybot',
    name: 'My WhatsApp Bot',
    department: null,
    autoConnect: true,
    collectionName: 'auth_mybot',
    status: 'connected',
    connectionState: 'CONNECTED',
    meJid: '919876543210@s.whatsapp.net',
    phone: '919876543210',
    qr: null,
    qrExpiresAt: null,
    lastQrAt: null,
    pairingCode: null,
    createdAt: CREATED,
    updatedAt: CREATED + 1_000,
    statusAt: CREATED + 2_000,
    ...overrides,
  };
}

function message(overrides: Partial<MessageRow> = {}): MessageRow {
  return {
    accountId: 'mybot',
    chatJid: '919876543210@s.whatsapp.net',
    messageId: '3EB0123ABCD456EF',
    fromMe: false,
    senderJid: '919876543210@s.whatsapp.net',
    direction: 'inbound',
    type: 'text',
    text: 'Hello!',
    caption: null,
    timestamp: 1_730_700_645_123,
    status: null,
    media: null,
    quotedMessageId: null,
    mentions: [],
    reactions: [],
    edits: [],
    deleted: false,
    starred: false,
    pinned: false,
    content: null,
    source: 'LIVE',
    ...overrides,
  };
}

const ALL_STATUSES: AccountStatus[] = ['not_started', 'connecting', 'qr', 'pairing', 'connected', 'reconnecting', 'disconnected', 'logged_out'];

describe('account views', () => {
  it('says each status in the words of both documents', () => {
    assert.deepEqual(
      ALL_STATUSES.map((status) => [status, wildcatStatus(status), whapiStatus(status)]),
      [
        ['not_started', 'not_started', 'disconnected'],
        ['connecting', 'connecting', 'connecting'],
        ['qr', 'connecting', 'qr'],
        ['pairing', 'connecting', 'connecting'],
        ['connected', 'connected', 'connected'],
        ['reconnecting', 'reconnecting', 'connecting'],
        ['disconnected', 'not_started', 'disconnected'],
        ['logged_out', 'logged_out', 'disconnected'],
      ],
    );
  });

  it('reads every ConnectionState symbol', () => {
    const states = ['UNKNOWN', 'NOT_STARTED', 'CONNECTING', 'QR', 'PAIRING', 'CONNECTED', 'RECONNECTING', 'DISCONNECTED', 'LOGGED_OUT'];
    assert.deepEqual(states.map(accountStatusOf), ['not_started', 'not_started', 'connecting', 'qr', 'pairing', 'connected', 'reconnecting', 'disconnected', 'logged_out']);
  });

  it('renders the WILDCAT account of the document', () => {
    const body = accountRowToWildcat(account());
    assert.deepEqual(body, {
      _id: 'mybot',
      name: 'My WhatsApp Bot',
      collectionName: 'auth_mybot',
      status: 'connected',
      currentStatus: 'connected',
      hasQR: false,
      createdAt: '2025-11-08T12:30:45.123Z',
    });
    assert.equal(wildcatAccountSchema.safeParse(body).success, true);
    const waiting = accountRowToWildcat(account({ accountId: 'support-bot', collectionName: null, status: 'qr', qr: '2@abc' }));
    assert.equal(waiting.status, 'connecting');
    assert.equal(waiting.hasQR, true);
    assert.equal(waiting.collectionName, 'auth_support-bot');
  });

  it('renders the WHAPI channel of the document', () => {
    const body = accountRowToChannel(account({ accountId: 'channel-123', name: 'Sales', department: 'Sales', phone: '79991234567' }));
    assert.deepEqual(body, {
      id: 'channel-123',
      name: 'Sales',
      department: 'Sales',
      autoConnect: true,
      status: 'connected',
      phone: '79991234567',
      createdAt: '2025-11-08T12:30:45.123Z',
      updatedAt: '2025-11-08T12:30:46.123Z',
    });
    assert.equal(channelSchema.safeParse(body).success, true);
  });

  it('renders a freshly created account from the AccountResult', () => {
    const row = accountResultToRow({
      accountId: 'mybot',
      name: 'My WhatsApp Bot',
      department: null,
      autoConnect: true,
      collectionName: 'auth_mybot',
      state: 'QR',
      createdAt: CREATED,
      updatedAt: null,
      meJid: null,
      mePhone: null,
    });
    assert.deepEqual(accountRowToWildcat(row), {
      _id: 'mybot',
      name: 'My WhatsApp Bot',
      collectionName: 'auth_mybot',
      status: 'connecting',
      currentStatus: 'connecting',
      hasQR: false,
      createdAt: '2025-11-08T12:30:45.123Z',
    });
    assert.equal(accountRowToChannel(row).status, 'qr');
  });
});

describe('chat views', () => {
  const row: ChatRow = {
    accountId: 'mybot',
    chatJid: '123456789-1234567890@g.us',
    kind: 'group',
    name: 'Project Team',
    unreadCount: 5,
    lastMessageId: '3EB0AAAA',
    lastMessageAt: 1_730_700_600_123,
    archived: false,
    pinned: true,
    mutedUntil: null,
    labels: ['1'],
    ephemeralSeconds: null,
  };

  it('WILDCAT: chatId, name, unreadCount, lastMessageTime', () => {
    const body = chatRowToWildcat(row);
    assert.deepEqual(body, { chatId: '123456789-1234567890@g.us', name: 'Project Team', unreadCount: 5, lastMessageTime: 1_730_700_600_123 });
    assert.equal(wildcatChatSchema.safeParse(body).success, true);
  });

  it('WHAPI: the chat with its settings', () => {
    const body = chatRowToWhapi(row);
    assert.equal(body.id, row.chatJid);
    assert.equal(body.type, 'group');
    assert.equal(body.pinned, true);
    assert.equal(whapiChatSchema.safeParse(body).success, true);
  });
});

describe('message views', () => {
  it('WILDCAT text message as in the document', () => {
    const body = messageRowToWildcat(message());
    assert.deepEqual(body, {
      messageId: '3EB0123ABCD456EF',
      from: '919876543210@s.whatsapp.net',
      chatId: '919876543210@s.whatsapp.net',
      timestamp: 1_730_700_645_123,
      type: 'text',
      fromMe: false,
      text: 'Hello!',
    });
    assert.equal(wildcatMessageSchema.safeParse(body).success, true);
  });

  it('WILDCAT media message: hasMedia, mediaId and caption, no text', () => {
    const body = messageRowToWildcat(
      message({
        messageId: '3EB0456DEFG789HI',
        type: 'image',
        text: null,
        caption: 'Check this out',
        media: { mediaId: 'cd'.repeat(32), mimetype: 'image/jpeg', fileName: null, size: 10, state: 'stored' },
      }),
    );
    assert.deepEqual(body, {
      messageId: '3EB0456DEFG789HI',
      from: '919876543210@s.whatsapp.net',
      chatId: '919876543210@s.whatsapp.net',
      timestamp: 1_730_700_645_123,
      type: 'image',
      fromMe: false,
      hasMedia: true,
      mediaId: 'cd'.repeat(32),
      caption: 'Check this out',
    });
    // Media not stored yet: it is there, without an id to fetch it by.
    const pending = messageRowToWildcat(message({ type: 'video', text: null, media: { mediaId: null, mimetype: null, fileName: null, size: null, state: 'pending' } }));
    assert.equal(pending.hasMedia, true);
    assert.equal('mediaId' in pending, false);
  });

  it('shows the latest edit and falls back to the chat as sender', () => {
    const row = message({ senderJid: null, edits: [{ text: 'Hello?', at: 1 }, { text: 'Hello!!', at: 2 }] });
    assert.equal(messageRowToWildcat(row).text, 'Hello!!');
    assert.equal(messageRowToWildcat(row).from, row.chatJid);
    const whapi = messageRowToWhapi(row);
    assert.equal(whapi.text, 'Hello!!');
    assert.equal(whapi.edited, true);
  });

  it('WHAPI message with media, reactions and flags', () => {
    const body = messageRowToWhapi(
      message({
        fromMe: true,
        direction: 'outbound',
        status: 'read',
        type: 'document',
        text: null,
        media: { mediaId: 'ef'.repeat(32), mimetype: 'application/pdf', fileName: 'report.pdf', size: 2_048, state: 'stored' },
        reactions: [{ emoji: '👍', reactorJid: '919876543210@s.whatsapp.net', at: 5 }],
        starred: true,
      }),
    );
    assert.equal(body.id, '3EB0123ABCD456EF');
    assert.deepEqual(body.media, { mediaId: 'ef'.repeat(32), mimetype: 'application/pdf', fileName: 'report.pdf', size: 2_048, state: 'stored' });
    assert.deepEqual(body.reactions, [{ emoji: '👍', from: '919876543210@s.whatsapp.net', timestamp: 5 }]);
    assert.equal(body.status, 'read');
    assert.equal(body.starred, true);
    assert.equal(whapiMessageSchema.safeParse(body).success, true);
  });
});

describe('webhook views', () => {
  const view: WebhookView = {
    id: 'wh_1',
    scope: 'ACCOUNT',
    accountId: 'ch-1',
    url: 'https://example.com/webhook',
    events: ['message.received', 'message.sent'],
    enabled: true,
    disabledReason: null,
    createdAt: CREATED,
    updatedAt: CREATED,
  };

  it('shows the secret only when given', () => {
    assert.equal('secret' in webhookViewBody(view), false);
    const created = webhookViewBody(view, 'whsec_abc');
    assert.equal(created.secret, 'whsec_abc');
    assert.equal(created.createdAt, '2025-11-08T12:30:45.123Z');
    assert.equal(webhookSchema.safeParse(created).success, true);
  });
});
