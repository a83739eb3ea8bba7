import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Stack, waitFor } from '../helpers/index.js';
import { WebhookReceiver } from '../helpers/webhookHarness.js';

const CHROMIUM = '/usr/bin/chromium';
const ACCOUNT = 'console-1';
const PHONE = '15550880001';
const CONTACT = '15550880002';
const CONTACT_JID = `${CONTACT}@s.whatsapp.net`;
const INBOUND = 'Hello from the simulated phone';
const WHILE_PAUSED = 'Sent while the stream was paused';
const REPLY = 'Replied from the web console';
const FOR_THE_WEBHOOK = 'Delivered to a webhook that is gone';
/** How long one browser wait may take: the stack's roles share two cores with the browser. */
const WAIT_MS = 60_000;

/** The repository root (the folder holding infra/kafka), found upwards from this compiled file. */
function repositoryRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'infra', 'kafka', 'start.sh'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('infra/kafka/start.sh not found above this test');
    dir = parent;
  }
  return dir;
}

const ARTIFACTS = path.join(repositoryRoot(), '.data', 'test', 'artifacts', 'console');

/** A page that records what must never happen: an uncaught error, or something the page's policy blocked. */
interface WatchedPage {
  page: Page;
  problems: string[];
}

async function openPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(`policy: ${message.text()}`);
  });
  return { page, problems };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Runs a flow; on failure saves what the page showed and adds the stack's last lines to the error. */
async function flow(stack: Stack, page: Page, name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    await shot(page, `${name}-failed`).catch(() => undefined);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stack.report(15)}`, { cause: error });
  }
}

async function signIn(page: Page, stack: Stack): Promise<void> {
  await page.goto(`${stack.apiUrl}/console`);
  await page.getByLabel('API key').fill(stack.apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
}

async function section(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/** True when nothing on the page is wider than the screen (no sideways scrolling on a phone). */
// Expressions run in the page (this file compiles without the DOM library).
async function fitsWidth(page: Page): Promise<boolean> {
  return (await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')) === true;
}

async function keptKeys(page: Page): Promise<number> {
  return Number(await page.evaluate('sessionStorage.length'));
}

describe('the web console in a real browser against the whole stack (every role its own process)', { timeout: 600_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await WebhookReceiver.start();
    // Only this run's pictures: a failure picture of an earlier run would mislead.
    await rm(ARTIFACTS, { recursive: true, force: true });
    await mkdir(ARTIFACTS, { recursive: true });
    [stack, browser] = await Promise.all([Stack.start({ partitions: 2 }), chromium.launch({ executablePath: CHROMIUM })]);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    await receiver?.close();
  });

  it('serves the built page without a key, under a policy that allows no inline script, and its assets cached for good', async () => {
    const page = await fetch(`${stack.apiUrl}/console`);
    assert.equal(page.status, 200, 'the console is built (make build runs vite build into dist/console)');
    const policy = page.headers.get('content-security-policy') ?? '';
    assert.match(policy, /script-src 'self'/);
    assert.doesNotMatch(policy, /unsafe/);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1]!);
    assert.ok(scripts.length > 0);
    for (const attributes of scripts) assert.match(attributes, /\ssrc="\/console\/assets\/[^"]+"/, 'every script is a file, none inline');
    assert.doesNotMatch(html, /\sstyle="/, 'no inline style');
    const assets = [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    assert.ok(assets.some((asset) => asset.endsWith('.js')) && assets.some((asset) => asset.endsWith('.css')), assets.join(' '));
    for (const asset of assets) {
      const answer = await fetch(stack.apiUrl + asset);
      assert.equal(answer.status, 200, asset);
      assert.equal(answer.headers.get('cache-control'), 'public, max-age=31536000, immutable', asset);
      assert.match(answer.headers.get('content-type') ?? '', asset.endsWith('.js') ? /^text\/javascript/ : /^text\/css/, asset);
      await answer.arrayBuffer();
    }
  });

  it('on a desktop: sign in, create an account, link it, see an inbound message live, pause and resume, reply, see a chart', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await openPage(context);
    try {
      await flow(stack, page, 'desktop', async () => {
        await page.goto(`${stack.apiUrl}/console`);
        await page.getByLabel('API key').fill('not-a-key');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').waitFor();
        assert.equal(await keptKeys(page), 0, 'a refused key is not kept');
        await page.getByLabel('API key').fill(stack.apiKey);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
        assert.equal(await keptKeys(page), 1, 'the key is kept in session storage');
        await shot(page, 'desktop-1-signed-in');

        // Create: the account starts linking at once, and the panel shows its QR as an image.
        await page.getByLabel('Account ID', { exact: true }).fill(ACCOUNT);
        await page.getByLabel('Name', { exact: true }).fill('Console test');
        await page.getByRole('button', { name: 'Create account' }).click();
        const qr = page.getByRole('img', { name: `QR code to link ${ACCOUNT}` });
        await qr.waitFor();
        assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/png;base64,/);
        await shot(page, 'desktop-2-qr');

        // Link it through the simulator: the panel and the account's card turn connected from the live stream.
        await stack.sim('/sim/link', { accountId: ACCOUNT, phone: PHONE });
        await page.getByRole('status', { name: `Link status of ${ACCOUNT}` }).filter({ hasText: `${ACCOUNT} is connected` }).waitFor();
        const card = page.getByRole('article', { name: ACCOUNT });
        await card.getByText('connected', { exact: true }).waitFor();
        await card.getByText(`+${PHONE}`).waitFor();
        await shot(page, 'desktop-3-linked');

        // Live events: the inbound message appears as it happens, its envelope and payload readable.
        await section(page, 'Live events');
        const streamState = page.getByRole('status', { name: 'Event stream' });
        await streamState.filter({ hasText: /^Live$/ }).waitFor();
        await stack.sim('/sim/inbound', { accountId: ACCOUNT, from: CONTACT, text: INBOUND });
        const log = page.getByRole('log');
        const received = log.getByRole('listitem').filter({ hasText: 'message.received' }).filter({ hasText: INBOUND });
        await received.waitFor();
        await received.locator('summary').click();
        const payload = received.getByRole('region', { name: 'Payload' });
        await payload.getByText(INBOUND, { exact: false }).waitFor();
        assert.match((await received.getByRole('region', { name: 'Envelope' }).textContent()) ?? '', /"eventId": "[0-9a-f]{32}"/);
        await shot(page, 'desktop-4-live-event');

        // Paused, the page shows nothing new; resumed, it continues from where it stopped (Last-Event-ID).
        await page.getByRole('button', { name: 'Pause' }).click();
        await streamState.filter({ hasText: /^Paused$/ }).waitFor();
        await stack.sim('/sim/inbound', { accountId: ACCOUNT, from: CONTACT, text: WHILE_PAUSED });
        await waitFor(
          async () => {
            const messages = await stack.api('GET', `/channels/${ACCOUNT}/chats/${encodeURIComponent(CONTACT_JID)}/messages`);
            return JSON.stringify(messages.body).includes(WHILE_PAUSED);
          },
          'the message sent while paused is in the log',
          { timeoutMs: WAIT_MS },
        );
        assert.equal(await log.getByText(WHILE_PAUSED).count(), 0, 'nothing arrives while paused');
        await page.getByRole('button', { name: 'Resume' }).click();
        await log.getByRole('listitem').filter({ hasText: WHILE_PAUSED }).waitFor();
        await streamState.filter({ hasText: /^Live$/ }).waitFor();

        // Chats: the read model's chat and its messages; a reply sent from the page reaches WhatsApp.
        await section(page, 'Chats');
        await page.getByRole('button', { name: new RegExp(CONTACT) }).click();
        const conversation = page.getByRole('log', { name: /^Messages with / });
        await conversation.getByText(INBOUND).waitFor();
        await page.getByLabel('Message', { exact: true }).fill(REPLY);
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        await page.getByRole('status').filter({ hasText: 'Message sent' }).waitFor();
        await conversation.getByText(REPLY).waitFor();
        const stored = await stack.api('GET', `/channels/${ACCOUNT}/chats/${encodeURIComponent(CONTACT_JID)}/messages`);
        const mine = (stored.body.data as Array<{ text: string | null; fromMe: boolean }>).find((message) => message.text === REPLY);
        assert.equal(mine?.fromMe, true, 'the reply is an outbound message of the account');
        await shot(page, 'desktop-5-chat');

        // Analytics: the day's volume is drawn as bars once the analytics role has counted it.
        await section(page, 'Analytics');
        const daily = page.getByRole('img', { name: 'Daily message volume' });
        await waitFor(
          async () => {
            await page.getByRole('button', { name: 'Refresh' }).click();
            return (await daily.locator('rect.bar').count()) > 0;
          },
          'bars in the daily chart',
          { timeoutMs: WAIT_MS, intervalMs: 1_000 },
        );
        const heights = await daily.locator('rect.bar').evaluateAll((bars) => bars.map((bar) => Number(bar.getAttribute('height'))));
        assert.ok(heights.every((height) => height > 0), `bar heights ${heights.join(', ')}`);
        assert.match((await page.getByLabel('Totals').textContent()) ?? '', /Messages\d+/);
        // Each bar's title names its channel in full (the label beside it may be shortened).
        await page.getByRole('img', { name: 'Messages per channel' }).locator('rect.bar > title', { hasText: `(${ACCOUNT}):` }).waitFor({ state: 'attached' });
        await shot(page, 'desktop-6-analytics');
      });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  it('on a phone screen (390×844): every section fits the width; logging out and deleting ask first', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const { page, problems } = await openPage(context);
    try {
      await flow(stack, page, 'phone', async () => {
        await signIn(page, stack);
        const card = page.getByRole('article', { name: ACCOUNT });
        await card.waitFor();
        assert.ok(await fitsWidth(page), 'the accounts fit the screen');
        await shot(page, 'phone-1-accounts');

        // Log out loses the session: it asks, and Cancel leaves the account linked.
        await card.getByRole('button', { name: 'Log out' }).click();
        const dialog = page.getByRole('dialog', { name: `Log out ${ACCOUNT}?` });
        await dialog.waitFor();
        await shot(page, 'phone-2-confirm');
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await dialog.waitFor({ state: 'hidden' });
        assert.equal((await stack.api('GET', `/channels/${ACCOUNT}/status`)).body.status, 'connected');

        // Delete asks too; confirmed, the account is gone.
        const doomed = 'console-gone';
        await page.getByLabel('Account ID', { exact: true }).fill(doomed);
        await page.getByRole('button', { name: 'Create account' }).click();
        const doomedCard = page.getByRole('article', { name: doomed });
        await doomedCard.getByRole('button', { name: 'Delete' }).click();
        const confirm = page.getByRole('dialog', { name: `Delete ${doomed}?` });
        await confirm.getByRole('button', { name: 'Delete account' }).click();
        await doomedCard.waitFor({ state: 'detached' });
        assert.equal((await stack.api('GET', `/channels/${doomed}`)).status, 404);

        for (const name of ['Live events', 'Chats', 'Analytics']) {
          await section(page, name);
          assert.ok(await fitsWidth(page), `${name} fits the screen`);
        }
        await page.getByRole('img', { name: 'Daily message volume' }).locator('rect.bar').first().waitFor();
        await shot(page, 'phone-3-analytics');
        await section(page, 'Chats');
        await page.getByRole('button', { name: new RegExp(CONTACT) }).click();
        await page.getByRole('log', { name: /^Messages with / }).getByText(REPLY).waitFor();
        assert.ok(await fitsWidth(page), 'a conversation fits the screen');
        await shot(page, 'phone-4-chat');
      });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
  it('webhooks: register one, see its delivery attempt with status and latency, enable it again and redeliver its dead letter', async () => {
    // 410 Gone makes the first attempt a dead letter at once (no retry schedule to wait out).
    receiver.respond = () => 410;
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, problems } = await openPage(context);
    try {
      await flow(stack, page, 'webhooks', async () => {
        await signIn(page, stack);
        await section(page, 'Webhooks');
        await page.getByLabel('URL', { exact: true }).fill(receiver.url);
        await page.getByLabel(/^Event types/).fill('message.received');
        await page.getByRole('button', { name: 'Register webhook' }).click();
        await page.getByRole('status').filter({ hasText: 'Signing secret' }).waitFor();
        await page.getByRole('row').filter({ hasText: receiver.url }).waitFor();

        await stack.sim('/sim/inbound', { accountId: ACCOUNT, from: CONTACT, text: FOR_THE_WEBHOOK });
        await waitFor(() => receiver.requests.length > 0, 'the webhook was called', { timeoutMs: WAIT_MS });
        await page.getByRole('button', { name: `Deliveries of ${receiver.url}` }).click();
        const attempts = page.getByRole('table', { name: 'Delivery attempts' });
        const deadLetters = page.getByRole('table', { name: 'Dead letters' });
        // The delivery log and the subscription's state are read again with Refresh, as an operator would.
        const refreshUntil = (what: string, shown: () => Promise<boolean>) =>
          waitFor(
            async () => {
              await page.getByRole('region', { name: /^Deliveries to / }).getByRole('button', { name: 'Refresh' }).click();
              return shown();
            },
            what,
            { timeoutMs: WAIT_MS, intervalMs: 1_000 },
          );
        await refreshUntil('the dead letter shown', async () => (await deadLetters.count()) > 0);
        const attempt = attempts.getByRole('row').filter({ hasText: 'message.received' }).first();
        const cells = (await attempt.getByRole('cell').allTextContents()).map((text) => text.trim());
        assert.ok(cells.includes('410'), `status in ${cells.join(' | ')}`);
        assert.ok(cells.some((text) => /^\d+ ms$/.test(text)), `latency in ${cells.join(' | ')}`);
        await shot(page, 'webhooks-1-deliveries');

        // The 410 disabled the webhook: enabled again (its endpoint is back), its dead letter is delivered, under the same id.
        const state = page.getByRole('row').filter({ hasText: receiver.url }).getByRole('cell').nth(2);
        await refreshUntil('the webhook shown disabled', async () => /^disabled: /.test((await state.textContent()) ?? ''));
        receiver.respond = () => 200;
        await page.getByRole('button', { name: `Enable ${receiver.url}` }).click();
        await refreshUntil('the webhook shown enabled', async () => (await state.textContent()) === 'enabled');
        await deadLetters.getByRole('button', { name: /^Redeliver event / }).first().click();
        await page.getByRole('status').filter({ hasText: /^1 queued for delivery/ }).waitFor();
        const firstId = receiver.requests[0]!.id;
        await waitFor(() => receiver.acknowledged().some((request) => request.id === firstId), 'the dead letter delivered again', { timeoutMs: WAIT_MS });
        await shot(page, 'webhooks-2-redelivered');
      });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
