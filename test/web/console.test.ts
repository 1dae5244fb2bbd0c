/**
 * The web console in a real browser (Debian's Chromium driven by playwright-core) against the local
 * stack: one browser and one stack for the whole file. The server's clock is injected (overrideDeps)
 * and so is the page's (Playwright's clock), so the step boundary is crossed on command, never by
 * waiting for wall time. Screenshots of every page at desktop and phone width go to
 * test-results/console/ (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import jpegJs from 'jpeg-js';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { overrideDeps } from '../../shared/api/deps';
import type { Clock } from '../../shared/clock';
import { issueLoginLink } from '../../local/loginTickets';
import { buildConsole, FIRST_LOAD_BUDGET_BYTES } from '../../web/build';
import { startTestVault, uniquePath, type TestVault } from '../helpers/vault';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SHOTS = join(process.cwd(), 'test-results', 'console');
const KEY = 'KRUGS4ZANBSWY3DPEB3W64TMMQQQ';
const PERIOD_MS = 30_000;
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
/**
 * The axe-core the tests import, in its minified build (axe.min.js): the same version and rules as
 * `axe.source` (axe.js) at less than half the size, so the page parses it in about half the time.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A server clock that stands still until the test moves it; sleepers wake when it passes their time. */
class ManualClock implements Clock {
  private sleepers: { until: number; wake: () => void }[] = [];
  constructor(private time: number) {}
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ until: this.time + ms, wake }));
  }
  get sleeping(): number {
    return this.sleepers.length;
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.sleepers.filter((s) => s.until <= this.time);
    this.sleepers = this.sleepers.filter((s) => s.until > this.time);
    for (const sleeper of due) sleeper.wake();
  }
}

function oathtool(atMs: number): string {
  return execFileSync('oathtool', ['--totp', '-b', '--now', new Date(atMs).toISOString(), KEY], { encoding: 'utf8' }).trim();
}

/**
 * A photo of the enrolment QR code: the PNG on an uneven grey, saved as a lossy JPEG (jpeg-js: the
 * machine's `convert` may be a stand-in without JPEG support). Returns its path.
 */
async function qrPhoto(photoDir: string): Promise<string> {
  const qr = PNG.sync.read(await QRCode.toBuffer(`otpauth://totp/Console:ops@example.com?secret=${KEY}&issuer=Console`, { width: 420, margin: 4 }));
  for (let i = 0; i < qr.data.length; i += 4) {
    const shade = 30 + Math.round(25 * Math.sin(i / 4 / qr.width / 40));
    for (let c = 0; c < 3; c++) qr.data[i + c] = qr.data[i + c] > 128 ? 255 - shade : shade;
  }
  const file = join(photoDir, 'qr-photo.jpg');
  writeFileSync(file, jpegJs.encode({ data: qr.data, width: qr.width, height: qr.height }, 70).data);
  return file;
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Serious and critical axe violations of the page as it is now (rule id and the first target).
 *
 * axe-core's own `axe.run` over the whole document, in the page, collecting violations in full only
 * (axe's `resultTypes`; the rest is unread here): what @axe-core/playwright's legacy mode runs, but with
 * axe injected once per document instead of twice per check. The console is one document whose routes
 * are hash changes, so most of the 28 checks find axe already there; re-injecting its source (AXE_SOURCE)
 * every time was most of this file's time. `axe.run` is awaited in the page, never merged across
 * frames: the console has none. The test after the last page check shows this finds violations.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // Without a context, axe.run checks the whole document.
    const found = await (globalThis as unknown as { axe: typeof axe }).axe.run({ resultTypes: ['violations'] });
    return found.violations.map((v) => ({ id: v.id, help: v.help, impact: v.impact, target: v.nodes[0]?.target.join(' ') }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.target})`);
}

/** Screenshot at both widths, then axe at both (a phone layout can hide or squeeze things). */
async function checkPage(page: Page, name: string): Promise<string[]> {
  const problems: string[] = [];
  for (const [label, size] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage: true });
    problems.push(...(await seriousViolations(page)).map((p) => `${name} ${label}: ${p}`));
  }
  await page.setViewportSize(DESKTOP);
  return problems;
}

describe('web console', () => {
  let vault: TestVault;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  let clock: ManualClock;
  let restoreDeps: () => void;
  let jpeg: string;
  const photoDir = mkdtempSync(join(tmpdir(), 'otpvault-console-'));
  const path = uniquePath('/console');
  let secretId = '';
  const a11y: string[] = [];

  const link = (user: string, groups: string[] = []) => issueLoginLink(vault.dataDir, vault.url, { user, groups });

  beforeAll(async () => {
    // The console's build, the stack and the browser (with the admin's page) start side by side (the
    // stack reads the built files per request, and nothing asks for them before the build is done);
    // either the stack or the browser that started is stopped in afterAll.
    const starting = Promise.allSettled([
      buildConsole(),
      startTestVault(),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS }).then(async (launched) => {
        browser = launched;
        admin = await browser.newContext({ viewport: DESKTOP });
        admin.setDefaultTimeout(10_000);
        page = await admin.newPage();
        // The page's clock is Playwright's: it runs normally until the step test pauses it.
        await page.clock.install();
      }),
    ]);
    // Meanwhile (the stack's DynamoDB Local starts in its own process), the photo the add test uploads.
    const photo = qrPhoto(photoDir);
    photo.catch(() => undefined); // awaited below, after the start's own failures
    const [builtResult, started, launched] = await starting;
    if (started.status === 'fulfilled') vault = started.value;
    for (const result of [builtResult, started, launched]) if (result.status === 'rejected') throw result.reason;
    jpeg = await photo;
    const built = (builtResult as PromiseFulfilledResult<Awaited<ReturnType<typeof buildConsole>>>).value;
    expect(built.firstLoadJsGzipBytes).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_BYTES);
    // 20 s into a step: the code shown first has 10 s left.
    clock = new ManualClock(Math.floor(Date.now() / PERIOD_MS) * PERIOD_MS + 20_000);
    restoreDeps = overrideDeps({ clock });
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    restoreDeps?.();
    await browser?.close();
    await vault?.stop();
    rmSync(photoDir, { recursive: true, force: true });
  });

  it('signs in with a one-time link, keeps the ticket out of the address bar, and refuses the link a second time', async () => {
    const adminLink = await link('admin', ['admins']);
    await page.goto(adminLink);
    await page.getByRole('heading', { name: 'My secrets' }).waitFor();
    expect(page.url()).not.toContain('login=');
    expect(await page.getByTestId('me').textContent()).toBe('admin');
    a11y.push(...(await checkPage(page, 'my-secrets-empty')));

    const again = await browser.newContext();
    const second = await again.newPage();
    await second.goto(adminLink);
    await second.getByRole('alert').waitFor();
    expect(await second.getByRole('alert').textContent()).toContain('already used');
    a11y.push(...(await checkPage(second, 'signed-out')));
    await again.close();
  });

  it('adds a secret from a JPEG photo of the QR code, verified with the device code, and shows oathtool\'s code', async () => {
    await page.goto(`${vault.url}/#/new`);
    await page.getByLabel('Template').selectOption('otp-only');
    await page.getByLabel('Path', { exact: true }).fill(path);
    await page.getByLabel('Description (optional)').fill('<img src=x onerror=alert(1)> shared <b>ops</b> device');
    await page.locator('#field-otpSeed-file').setInputFiles(jpeg);
    await page.getByTestId('picture-name').waitFor();
    // A wrong device code is refused next to the code field, and nothing is stored.
    const wrong = String((Number(oathtool(clock.now())) + 1) % 1_000_000).padStart(6, '0');
    await page.getByLabel(/Enter the code your device shows now/).fill(wrong);
    await page.getByLabel(/Recovery \/ backup codes/).fill('rc-one\nrc-two\nrc-three');
    a11y.push(...(await checkPage(page, 'add-secret')));
    await page.getByRole('button', { name: 'Save secret' }).click();
    const verifyError = page.locator('#field-otpSeed-verify-error');
    await verifyError.waitFor();
    expect(await verifyError.textContent()).toMatch(/does not match this seed/);
    expect(await page.getByLabel(/Enter the code your device shows now/).getAttribute('aria-invalid')).toBe('true');
    a11y.push(...(await checkPage(page, 'add-secret-error')));

    await page.getByLabel(/Enter the code your device shows now/).fill(oathtool(clock.now()));
    await page.getByRole('button', { name: 'Save secret' }).click();
    await page.getByTestId('otp-code').waitFor();
    secretId = decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '');
    expect(secretId).not.toBe('');
    expect(await page.getByTestId('otp-code').getAttribute('data-code')).toBe(oathtool(clock.now()));
    // Markup typed by a user shows as text; nothing of it becomes an element.
    await page.getByText('<img src=x onerror=alert(1)> shared <b>ops</b> device').waitFor();
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.getByTestId('secret-path').textContent()).toBe(path);
    await page.getByText('TOTP Console: ops@example.com, 6 digits, SHA1, 30 s').waitFor();
  });

  it('finds the secret on My secrets by its full path and shows its code within a second (printed, not asserted)', async () => {
    await page.goto(`${vault.url}/#/secrets`);
    await page.getByLabel('Search by path').fill(path.slice(0, 12));
    const entry = page.getByTestId('secret-link').filter({ hasText: path });
    await entry.waitFor();
    a11y.push(...(await checkPage(page, 'my-secrets')));
    const started = performance.now();
    await entry.click();
    await page.getByTestId('otp-code').waitFor();
    console.log(`time to code from My secrets (click to code shown): ${Math.round(performance.now() - started)} ms`);
    expect(await page.getByTestId('otp-code').getAttribute('data-code')).toBe(oathtool(clock.now()));
  });

  it('shows the next code at the step boundary, asked for once near the end of the step', async () => {
    await page.goto(`${vault.url}/#/secrets`);
    await page.getByRole('heading', { name: 'My secrets' }).waitFor();
    // Stop the page's time, then open the secret; a few frames let its effects send the first request.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1_000);
    try {
      await crossStepBoundary();
    } finally {
      await page.clock.resume();
    }
    a11y.push(...(await checkPage(page, 'secret')));
  });

  async function crossStepBoundary(): Promise<void> {
    await page.goto(`${vault.url}/#/secrets/${secretId}`);
    const code = page.getByTestId('otp-code');
    // Effects run after a frame: step the paused clock a frame at a time until the code is there.
    for (let frame = 0; frame < 100 && !(await code.isVisible()); frame++) {
      await page.clock.runFor(16);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await code.waitFor();
    const stepStart = clock.now() - 20_000;
    expect(await code.getAttribute('data-code')).toBe(oathtool(stepStart));
    expect(await page.getByTestId('otp-countdown').textContent()).toBe('Valid for 10 s');

    // 7 s on: 3 s are left, so the page asks with minValidSeconds and the API holds the request.
    clock.advance(7_000);
    await page.clock.runFor(7_000);
    await waitFor(() => clock.sleeping === 1, 'the OTP request to wait for the next step');
    // One more tick of the countdown's 250 ms display timer.
    await page.clock.runFor(250);
    expect(await page.getByTestId('otp-countdown').textContent()).toMatch(/^Expires in 3 s/);
    expect(await code.getAttribute('data-code')).toBe(oathtool(stepStart));

    clock.advance(3_000);
    // Polled from here: Playwright's waitForFunction polls on animation frames (none while the clock is
    // paused) or evaluates a string, which the console's CSP forbids.
    const before = oathtool(stepStart);
    for (let i = 0; i < 200 && (await code.getAttribute('data-code')) === before; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await code.getAttribute('data-code')).toBe(oathtool(stepStart + PERIOD_MS));
    expect(Number(await code.getAttribute('data-step'))).toBe(stepStart / PERIOD_MS + 1);
  }

  it('reveals one recovery code after a confirmation, once, with the number left', async () => {
    await page.getByRole('button', { name: 'Reveal one recovery code' }).click();
    a11y.push(...(await checkPage(page, 'recovery-confirm')));
    await page.getByRole('button', { name: 'Yes, reveal one code' }).click();
    await page.getByTestId('recovery-code').waitFor();
    expect(await page.getByTestId('recovery-code').textContent()).toBe('rc-one');
    expect(await page.getByTestId('recovery-left').textContent()).toBe('2 of 3 left');
    // Shown once: after a reload the code is gone and the count stays.
    await page.reload();
    await page.getByTestId('recovery-left').waitFor();
    expect(await page.getByTestId('recovery-code').count()).toBe(0);
    expect(await page.getByTestId('recovery-left').textContent()).toBe('2 of 3 left');
  });

  it('shows a user without a policy an empty My secrets and a 403 on a direct link', async () => {
    const outsider = await browser.newContext({ viewport: DESKTOP });
    const other = await outsider.newPage();
    await other.goto(await link('mallory', ['contractors']));
    await other.getByTestId('no-secrets').waitFor();
    expect(await other.getByTestId('secret-link').count()).toBe(0);
    await other.goto(`${vault.url}/#/secrets/${secretId}`);
    await other.getByTestId('error').waitFor();
    expect(await other.getByTestId('error').textContent()).toContain('403');
    expect(await other.getByTestId('otp-code').count()).toBe(0);
    a11y.push(...(await checkPage(other, 'forbidden')));
    await outsider.close();
  });

  it('lists the OTP event on the Audit Log page, newest first, with the denial standing out', async () => {
    await vault.stack.audit.flush();
    await page.goto(`${vault.url}/#/audit`);
    const otpEvent = page.locator('[data-testid="audit-event"][data-action="otp:generate"]').first();
    await otpEvent.waitFor();
    expect(await otpEvent.textContent()).toContain(`user:admin generated a code for ${path}`);
    const times = await page.locator('[data-testid="audit-event"] time').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('datetime') ?? ''));
    expect([...times].sort().reverse()).toEqual(times);
    a11y.push(...(await checkPage(page, 'audit-log')));

    await page.getByLabel('Who').fill('user:mallory');
    await page.getByLabel('Result').selectOption('denied');
    await page.getByRole('button', { name: 'Search' }).click();
    const denied = page.locator('[data-testid="audit-event"][data-result="denied"]').filter({ hasText: `user:mallory · secret:read · ${path}` }).first();
    await denied.waitFor();
    expect(await denied.locator('.badge').textContent()).toBe('DENIED');
    expect(await page.locator('[data-testid="audit-event"]:not([data-result="denied"])').count()).toBe(0);
    a11y.push(...(await checkPage(page, 'audit-log-denied')));
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  });

  it('lists templates, changes and retires a custom one, lists policies and simulates a request', async () => {
    const created = await vault.call<{ id: string }>('POST', '/v1/templates', {
      token: await vault.token('admin', ['admins']),
      body: { name: 'Console vendor', fields: [{ name: 'username', type: 'text' }] },
    });
    expect(created.status).toBe(201);
    await page.goto(`${vault.url}/#/templates`);
    await page.getByRole('heading', { name: /OTP seed/ }).waitFor();
    const custom = page.getByRole('heading', { name: /Console vendor/ });
    expect(await custom.textContent()).toContain(`${created.body.id} · version 1`);
    a11y.push(...(await checkPage(page, 'templates')));
    const id = created.body.id;
    await page.getByRole('button', { name: /^Change Console vendor/ }).click();
    await page.getByRole('heading', { name: 'Change Console vendor' }).waitFor();
    expect(await page.locator(`#tpl-${id}-f0-name`).getAttribute('readonly')).not.toBeNull();
    await page.locator(`#tpl-${id}-name`).fill('Console vendor portal');
    await page.getByRole('button', { name: 'Add a field' }).first().click();
    await page.locator(`#tpl-${id}-f1-name`).fill('url');
    await page.locator(`#tpl-${id}-f1-type`).selectOption('url');
    a11y.push(...(await checkPage(page, 'templates-change')));
    await page.getByRole('button', { name: 'Save changes' }).click();
    const changed = page.getByRole('heading', { name: /Console vendor portal/ });
    await changed.waitFor();
    expect(await changed.textContent()).toContain(`${id} · version 2`);
    expect(await page.getByRole('table', { name: 'Fields of Console vendor portal' }).textContent()).toContain('url');
    await page.getByRole('button', { name: /^Retire Console vendor portal/ }).click();
    a11y.push(...(await checkPage(page, 'templates-retire-confirm')));
    await page.getByRole('button', { name: 'Yes, retire' }).click();
    await changed.waitFor({ state: 'detached' });
    const listed = await vault.call<{ items: { id: string; retiredAt?: string }[] }>('GET', '/v1/templates?retired=true', { token: await vault.token('admin', ['admins']) });
    expect(listed.body.items.find((t) => t.id === created.body.id)?.retiredAt).toEqual(expect.any(String));
    await page.goto(`${vault.url}/#/policies`);
    await page.getByRole('heading', { name: /Administrators/ }).waitFor();
    await page.getByLabel('Caller').fill('user:mallory');
    await page.getByLabel('Groups (comma-separated)').fill('contractors');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.getByTestId('simulation').waitFor();
    expect(await page.getByTestId('simulation').textContent()).toMatch(/^Denied/);
    a11y.push(...(await checkPage(page, 'policies')));
  });

  it('lets bob (oncall) request access to a secret that needs approval, carol approve it on Approvals, and bob then see the code', async () => {
    const adminToken = await vault.token('admin', ['admins']);
    const gatedPath = uniquePath('/console-jit');
    const created = await vault.call<{ id: string }>('POST', '/v1/secrets', {
      token: adminToken,
      body: { path: gatedPath, template: 'otp-only', fields: { otpSeed: { setupKey: KEY } } },
    });
    expect(created.status).toBe(201);
    const gatedId = created.body.id;
    const policy = (body: Record<string, unknown>) => vault.call('POST', '/v1/policies', { token: adminToken, body: { effect: 'allow', principals: ['group:oncall'], resources: [gatedPath], ...body } });
    expect((await policy({ name: 'oncall reads the root entry', actions: ['secret:read'] })).status).toBe(201);
    expect(
      (await policy({ name: 'oncall codes need approval', actions: ['otp:generate'], approval: { approvers: ['user:carol'], minApprovals: 1, grantMinutes: 60, justificationRequired: true } })).status,
    ).toBe(201);

    const bobContext = await browser.newContext({ viewport: DESKTOP });
    const carolContext = await browser.newContext({ viewport: DESKTOP });
    bobContext.setDefaultTimeout(10_000);
    carolContext.setDefaultTimeout(10_000);
    try {
      const bob = await bobContext.newPage();
      await bob.goto(await link('bob', ['oncall']));
      await bob.getByRole('heading', { name: 'My secrets' }).waitFor();
      await bob.goto(`${vault.url}/#/secrets/${gatedId}`);
      await bob.getByRole('heading', { name: 'Request access' }).waitFor();
      expect(await bob.getByTestId('otp-code').count()).toBe(0);
      await bob.getByLabel('Justification').fill('incident 42: root login needed');
      await bob.getByLabel('Minutes (optional)').fill('30');
      await bob.getByRole('button', { name: 'Request access' }).click();
      await bob.locator('[data-testid="request-status"][data-status="pending"]').waitFor();
      expect(await bob.getByTestId('request-status').textContent()).toContain('Waiting for approval');
      expect(await bob.getByRole('button', { name: 'Request access' }).count()).toBe(0);
      a11y.push(...(await checkPage(bob, 'request-access')));

      const carol = await carolContext.newPage();
      await carol.goto(await link('carol'));
      await carol.getByRole('heading', { name: 'My secrets' }).waitFor();
      await carol.getByRole('link', { name: 'Approvals' }).click();
      const pending = carol.getByTestId('to-approve').filter({ hasText: gatedPath });
      await pending.waitFor();
      expect(await pending.textContent()).toContain('incident 42: root login needed');
      expect(await pending.textContent()).toContain('user:bob');
      a11y.push(...(await checkPage(carol, 'approvals')));
      await pending.getByLabel(/^Comment \(optional\)/).fill('go ahead');
      await pending.getByRole('button', { name: /^Approve/ }).click();
      await carol.getByTestId('no-approvals').waitFor();

      await bob.reload();
      await bob.getByTestId('otp-code').waitFor();
      expect(await bob.getByTestId('otp-code').getAttribute('data-code')).toBe(oathtool(clock.now()));
      expect(await bob.getByTestId('grant-until').textContent()).toMatch(/^Access granted until /);
      expect(await bob.getByTestId('request-status').getAttribute('data-status')).toBe('approved');
      // A seed from a setup key names no issuer or account: its summary has no stray separator.
      await bob.getByText('TOTP, 6 digits, SHA1, 30 s').waitFor();
      a11y.push(...(await checkPage(bob, 'request-granted')));

      await bob.getByRole('link', { name: 'Approvals' }).click();
      const mine = bob.getByTestId('my-request').filter({ hasText: gatedPath });
      await mine.waitFor();
      expect(await mine.getByTestId('my-request-status').textContent()).toBe('approved');
      expect(await mine.getByRole('button', { name: /^End access now/ }).count()).toBe(1);
    } finally {
      await bobContext.close();
      await carolContext.close();
    }
  });

  it('finds the serious and critical violations of a page made to have them, and none once they are fixed in the same document', async () => {
    const context = await browser.newContext();
    try {
      const bad = await context.newPage();
      await bad.setContent('<!doctype html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button></main></body></html>');
      expect(await seriousViolations(bad)).toEqual([expect.stringMatching(/^button-name: /), expect.stringMatching(/^image-alt: /)]);
      // The axe in the page is the axe-core the tests import (its minified build, AXE_SOURCE).
      expect(await bad.evaluate(() => (globalThis as unknown as { axe: typeof axe }).axe.version)).toBe(axe.version);
      // axe stays in the document after the first check (as in the console): the next check sees the page as it is now.
      await bad.locator('img').evaluate((img) => img.setAttribute('alt', 'dot'));
      await bad.locator('button').evaluate((button) => button.append('Go'));
      expect(await seriousViolations(bad)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('has no serious or critical accessibility violations on any page', () => {
    expect(a11y).toEqual([]);
  });
});
