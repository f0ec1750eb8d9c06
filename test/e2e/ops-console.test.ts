import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { widgets } from '#widgets';
import { client, eventually } from '../support/api-client.ts';
import {
  acceptedFiberQuote,
  createOrder,
  orderInState,
  resetFaults,
  setFault,
} from '../support/order-flow.ts';
import { quoteBody } from '../support/quote-flow.ts';

/**
 * The ops console in a real browser: Debian's chromium-headless-shell driven by playwright-core
 * (`npm test` installs it when missing: scripts/ensure-browser.sh). Screenshots land in test-output/ops-console/ (gitignored).
 */
const api = client();
const ops = { token: 'local-ops' };
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium-headless-shell';
const outDir = path.resolve(import.meta.dirname, '../../test-output/ops-console');
const dashboardIds = ['quote-operations', 'order-operations', 'deal-desk', 'finance-reconciliation'];

let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await resetFaults();
});

const openConsole = async () => {
  await page.goto(`${api.baseUrl}/ops/console`);
  await page.getByLabel('Operator token').fill('local-ops');
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.waitForSelector('body[data-loaded-at]');
};

const cell = (signal: string, field: string) =>
  page.locator(`tr[data-signal="${signal}"] [data-field="${field}"]`);

describe('ops console in a browser', () => {
  it('shows the fallout and the duplicate submission the API reports, with reason codes and freshness', async () => {
    // A fallout through the real path: provisioning rejects, the workflow holds the order.
    const quote = await acceptedFiberQuote();
    await setFault('provisioning', 'reject', 1);
    const order = await createOrder(quote);
    await orderInState(order.body.id, 'held');
    // A duplicate submission: the same command and key twice.
    const body = quoteBody();
    const key = crypto.randomUUID();
    expect((await api.post('/quotes', body, { token: 'local-sales', key })).status).toBe(201);
    expect(
      (await api.post('/quotes', body, { token: 'local-sales', key })).headers.get('idempotent-replayed'),
    ).toBe('true');

    const fallout = await eventually(async () => {
      const r = await api.get('/views/fallout', ops);
      return r.body.items.some((f: { orderId: string }) => f.orderId === order.body.id) ? r.body : undefined;
    });
    const mine = fallout.items.find((f: { orderId: string }) => f.orderId === order.body.id);
    expect(mine).toMatchObject({ reasonCode: 'DOWNSTREAM_REJECTED', ownerTeam: 'network-ops' });

    // What the console shows equals what the API answers at the same moment (reload while the
    // background projector or sampler moved a value between the two reads).
    const agreed = await eventually(
      async () => {
        await openConsole();
        const [dash, local, views] = await Promise.all([
          api.get('/ops/dashboard', ops),
          api.get('/ops/local/metrics', ops),
          api.get('/views/fallout', ops),
        ]);
        const shown = {
          inFallout: await cell('OrdersInFallout', 'value').getAttribute('data-raw'),
          breakdown: await cell('OrdersInFallout', 'breakdown').textContent(),
          duplicates: await cell('DuplicateSubmitAttempts', 'value').getAttribute('data-raw'),
          dataCurrentThrough: await page.locator('[data-field="dataCurrentThrough"]').textContent(),
          falloutCount: await page.locator('[data-field="fallout-count"]').textContent(),
        };
        const expected = {
          inFallout: String(dash.body.signals.OrdersInFallout.value),
          duplicates: String(local.body.signals.DuplicateSubmitAttempts.lastHour),
          dataCurrentThrough: dash.body.freshness.dataCurrentThrough,
          falloutCount: views.body.count,
        };
        return shown.inFallout === expected.inFallout &&
          shown.duplicates === expected.duplicates &&
          shown.dataCurrentThrough === expected.dataCurrentThrough &&
          shown.falloutCount?.startsWith(`${expected.falloutCount} orders in fallout`)
          ? { shown, dash: dash.body }
          : undefined;
      },
      20,
      500,
    );
    expect(Number(agreed.shown.inFallout)).toBeGreaterThanOrEqual(1);
    expect(Number(agreed.shown.duplicates)).toBeGreaterThanOrEqual(1);
    expect(agreed.shown.breakdown).toContain(
      `DOWNSTREAM_REJECTED: ${agreed.dash.signals.OrdersInFallout.detail.byReason.DOWNSTREAM_REJECTED}`,
    );
    // Freshness next to each gauge (rule 5) and the fallout board's owner and next action (rule 4).
    expect(await cell('OrdersInFallout', 'asOf').textContent()).toMatch(/ago$/);
    const row = page.locator(`tr[data-order="${order.body.id}"]`);
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    expect(await row.textContent()).toContain('DOWNSTREAM_REJECTED');
    expect(await row.textContent()).toContain('network-ops');
    expect(await row.textContent()).toContain(mine.nextAction);
    // The governed repair form offers the held task.
    expect(await page.locator('#repair-target option').allTextContents()).toContain(
      `${order.body.id} / ${mine.taskId} (DOWNSTREAM_REJECTED)`,
    );

    for (const id of dashboardIds)
      await page.locator(`#dash-${id}`).screenshot({ path: path.join(outDir, `dashboard-${id}.png`) });
    for (const id of ['fallout', 'reconciliation', 'inbox', 'local-metrics'])
      await page.locator(`#${id}`).screenshot({ path: path.join(outDir, `${id}.png`) });
    await page.screenshot({ path: path.join(outDir, 'console-full.png'), fullPage: true });
  });

  it('states the decision, owner and leading/lagging signals of each dashboard', async () => {
    await openConsole();
    for (const id of dashboardIds) {
      const section = page.locator(`#dash-${id}`);
      expect(await section.locator('.decision').textContent()).toMatch(/^Decision: /);
      expect(await section.locator('.meta').first().textContent()).toMatch(/^Owner: /);
      expect(await section.locator('.tag').allTextContents()).toContain('leading');
    }
    expect(await page.locator('[data-field="orders-at-risk"]').textContent()).toMatch(/orders at risk/);
  });

  it('shows every catalog widget on its dashboard with its decision, owner, freshness and breakdown', async () => {
    await openConsole();
    for (const w of widgets) {
      const row = page.locator(`#dash-${w.dashboard} tr[data-widget="${w.id}"]`);
      expect(await row.count(), w.id).toBe(1);
      expect(await row.locator('[data-field="decision"]').textContent(), w.id).toBe(w.decision);
      expect(await row.locator('[data-field="owner"]').textContent(), w.id).toBe(w.ownerTeam);
      expect(await row.locator('[data-field="freshness-source"]').textContent(), w.id).toBe(w.freshness);
    }
    // State × age (rule 2): the console shows the buckets the API answers for each state (reload
    // while a background write moved a count between the two reads).
    const lines = async () =>
      page.locator('tr[data-widget="OrdersByStateAge"] li[data-state]').allTextContents();
    await eventually(
      async () => {
        await openConsole();
        const dash = await api.get('/ops/dashboard', ops);
        const stateAge = dash.body.widgets.find((w: { id: string }) => w.id === 'OrdersByStateAge');
        const expected = Object.entries(
          stateAge.detail.byState as Record<string, Record<string, number>>,
        ).map(([state, b]) => `${state}: < 2 h ${b.under2h} · 2–24 h ${b['2to24h']} · > 24 h ${b.over24h}`);
        const shown = await lines();
        return expected.length > 0 && JSON.stringify(shown) === JSON.stringify(expected) ? shown : undefined;
      },
      20,
      500,
    );
  });

  it('refuses a token that is not an operator’s and shows nothing', async () => {
    await page.goto(`${api.baseUrl}/ops/console`);
    await page.getByLabel('Operator token').fill('local-approver');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect
      .poll(() => page.locator('#status').textContent(), { timeout: 20_000 })
      .toMatch(/refused \(403/);
    expect(await page.locator('tr[data-signal]').count()).toBe(0);
  });

  it('has no serious accessibility violations (axe)', async () => {
    await openConsole();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  });
});
