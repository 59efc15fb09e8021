// End-to-end accessibility and layout checks of the gongkai portal and admin
// pages in real headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core; no browser is downloaded).
//
// Run through e2e/run.sh, which starts a demo server and sets GONGKAI_URL.
//
// For each page and viewport width:
//   - no horizontal overflow (documentElement.scrollWidth <= innerWidth);
//   - tables stay readable: cells neither split short ASCII words (dates,
//     user names) across lines nor shrink to a character's width; narrow
//     tables scroll inside `.table-wrap` instead;
//   - axe-core finds no `serious` or `critical` WCAG 2.0/2.1 A/AA violation.
// Plus: the 适老化 (elderly-friendly) controls work without JavaScript, the
// portal renders with JavaScript disabled, and Tab reaches the skip link first.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const BASE = (process.env.GONGKAI_URL || '').replace(/\/+$/, '');
if (!BASE) {
  throw new Error('GONGKAI_URL is not set: run the suite through e2e/run.sh');
}
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WIDTHS = [360, 1280];
const HEIGHT = 800;
const ADMIN = { username: 'admin', password: 'Wushan#2021' }; // demo account (public)
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const PUBLIC_PAGES = [
  { path: '/', name: 'home' },
  { path: '/workdays?from=2021-09-24&days=20', name: 'deadline calculator', expect: 'table' },
  { path: '/login', name: 'staff login', expect: 'form[action="/login"]' },
];
const ADMIN_PAGES = [
  { path: '/admin', name: 'admin dashboard' },
  { path: '/admin/users', name: 'admin users', expect: 'table' },
  { path: '/admin/audit', name: 'admin audit log', expect: 'table' },
  { path: '/admin/calendar', name: 'admin calendar', expect: 'table' },
];

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser;
/** Storage state (session cookie) of the logged-in demo admin. */
let adminState;

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
});

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: HEIGHT }, ...options });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

/** Navigates and fails unless the server answered 200 at exactly this path. */
async function open(page, path) {
  const response = await page.goto(BASE + path, { waitUntil: 'load' });
  assert.ok(response, `no response for ${path}`);
  assert.equal(response.status(), 200, `GET ${path} answered ${response.status()}`);
  const want = new URL(BASE + path);
  const got = new URL(page.url());
  assert.equal(got.pathname + got.search, want.pathname + want.search, `GET ${path} ended at ${page.url()}`);
}

/** Logs in through the staff login form, as a person would. */
async function logIn(page) {
  await open(page, '/login');
  await page.locator('#username').fill(ADMIN.username);
  await page.locator('#password').fill(ADMIN.password);
  await Promise.all([
    page.waitForURL((u) => u.pathname.startsWith('/admin'), { waitUntil: 'load' }),
    page.getByRole('button', { name: '登录', exact: true }).click(),
  ]);
  assert.equal(new URL(page.url()).pathname, '/admin', `login went to ${page.url()}`);
}

/** The 适老化 link for the active setting says so to screen readers. */
async function expectCurrent(page, label) {
  const link = page.getByRole('link', { name: label, exact: true });
  assert.equal(await link.getAttribute('aria-current'), 'true', `${label} link is marked aria-current`);
}

async function assertNoHorizontalOverflow(page, label) {
  const m = await page.evaluate(() => {
    const vw = window.innerWidth;
    // Report the outermost elements that stick out, so a failure says where.
    const culprits = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= vw + 0.5) continue;
      if (el.closest('.table-wrap') && !el.classList.contains('table-wrap')) continue; // scrolls inside its wrapper
      if (culprits.some((c) => c.el.contains(el))) continue;
      culprits.push({ el, right: Math.round(r.right) });
      if (culprits.length >= 8) break;
    }
    const describe = (el) =>
      el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: vw,
      culprits: culprits.map((c) => `${describe(c.el)} (right edge ${c.right}px)`),
    };
  });
  assert.ok(
    m.scrollWidth <= m.innerWidth,
    `${label}: horizontal overflow, scrollWidth ${m.scrollWidth}px > innerWidth ${m.innerWidth}px; ` +
      `elements past the right edge: ${m.culprits.join(', ') || '(none found)'}`,
  );
}

/**
 * Data tables on a phone scroll sideways inside `.table-wrap`; they must not
 * instead squeeze their columns until dates, user names and numbers break in
 * the middle ("20/19", "admi/n") or a column is one character wide. Checks
 * that every run of 2 to 30 non-space ASCII characters in a table cell
 * (outside <code>) renders on one line, and that no cell holding 4 or more
 * characters is narrower than 2em (one Chinese character a line).
 */
async function assertTablesReadable(page, label) {
  const broken = await page.evaluate(() => {
    const out = [];
    for (const cell of document.querySelectorAll('main th, main td')) {
      const text = cell.innerText.trim();
      const cs = getComputedStyle(cell);
      const width = cell.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      if ([...text].length >= 4 && width < 2 * parseFloat(cs.fontSize)) {
        out.push(`column squeezed to ${Math.round(width)}px: "${text.slice(0, 20)}"`);
      }
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement.closest('code, pre')) continue;
        for (const m of node.data.matchAll(/[\x21-\x7e]{2,30}(?![\x21-\x7e])/g)) {
          if (m.index > 0 && /[\x21-\x7e]/.test(node.data[m.index - 1])) continue; // part of a longer run
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) out.push(`"${m[0]}" split over ${lines.size} lines`);
        }
      }
      if (out.length >= 10) break;
    }
    return out;
  });
  assert.ok(broken.length === 0, `${label}: unreadable table cells: ${broken.join(', ')}`);
}

async function assertNoSeriousAxeViolations(page, label) {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map(
      (v) =>
        `\n  [${v.impact}] ${v.id}: ${v.help}` +
        v.targets
          .slice(0, 10)
          .map((t) => `\n      ${t.target}${t.summary ? ' — ' + t.summary.replace(/\s+/g, ' ') : ''}`)
          .join('') +
        (v.targets.length > 10 ? `\n      … and ${v.targets.length - 10} more` : ''),
    )
    .join('');
  assert.ok(bad.length === 0, `${label}: axe found ${bad.length} serious/critical violation(s):${report}`);
}

async function checkPage(page, spec, width) {
  const label = `${spec.path} at ${width}px`;
  await open(page, spec.path);
  assert.ok(await page.locator('main h1').count(), `${label}: no <h1> in <main>`);
  if (spec.expect) {
    assert.ok(await page.locator(`main ${spec.expect}`).count(), `${label}: expected ${spec.expect} in <main>`);
  }
  // Run both checks before failing, so one run reports every problem.
  const problems = [];
  for (const check of [assertNoHorizontalOverflow, assertTablesReadable, assertNoSeriousAxeViolations]) {
    try {
      await check(page, label);
    } catch (e) {
      if (!(e instanceof assert.AssertionError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length) assert.fail(problems.join('\n'));
}

describe('public pages', () => {
  for (const width of WIDTHS) {
    for (const spec of PUBLIC_PAGES) {
      test(`${spec.name} (${spec.path}) at ${width}px: no overflow, no serious axe violations`, async () => {
        const { context, page } = await newPage({ viewport: { width, height: HEIGHT } });
        try {
          await checkPage(page, spec, width);
        } finally {
          await context.close();
        }
      });
    }
  }
});

describe('admin pages (logged in as the demo admin)', () => {
  before(async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page);
      adminState = await context.storageState();
    } finally {
      await context.close();
    }
  });

  for (const width of WIDTHS) {
    for (const spec of ADMIN_PAGES) {
      test(`${spec.name} (${spec.path}) at ${width}px: no overflow, no serious axe violations`, async () => {
        const { context, page } = await newPage({ viewport: { width, height: HEIGHT }, storageState: adminState });
        try {
          await checkPage(page, spec, width);
        } finally {
          await context.close();
        }
      });
    }
  }
});

describe('适老化 controls and progressive enhancement', () => {
  test('超大字号 and 高对比度 links work without JavaScript', async () => {
    const { context, page } = await newPage({ viewport: { width: 1280, height: HEIGHT }, javaScriptEnabled: false });
    try {
      await open(page, '/');
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/', { waitUntil: 'load' }),
        page.getByRole('link', { name: '超大字号', exact: true }).click(),
      ]);
      const html = page.locator('html');
      const classes = () => html.getAttribute('class').then((c) => (c || '').split(/\s+/));
      assert.ok((await classes()).includes('font-xl'), `<html class> is "${(await classes()).join(' ')}" after 超大字号`);
      const fontSize = await html.evaluate((el) => getComputedStyle(el).fontSize);
      assert.equal(fontSize, '22px', 'computed font-size of <html> after 超大字号');
      await expectCurrent(page, '超大字号');

      await Promise.all([
        page.waitForURL((u) => u.pathname === '/', { waitUntil: 'load' }),
        page.getByRole('link', { name: '高对比度', exact: true }).click(),
      ]);
      const after = await classes();
      assert.ok(after.includes('contrast-high'), `<html class> is "${after.join(' ')}" after 高对比度`);
      assert.ok(after.includes('font-xl'), 'the font choice survives switching to high contrast');
      // The toggle now offers the way back.
      assert.equal(await page.getByRole('link', { name: '标准配色', exact: true }).count(), 1);
    } finally {
      await context.close();
    }
  });

  // Elderly readers at the largest size and high contrast on a phone: the
  // combination must not break the layout or the contrast either.
  for (const spec of [PUBLIC_PAGES[0], PUBLIC_PAGES[1]]) {
    test(`${spec.name} (${spec.path}) with 超大字号 + 高对比度 at 360px: no overflow, no serious axe violations`, async () => {
      const { context, page } = await newPage({ viewport: { width: 360, height: HEIGHT } });
      try {
        await context.addCookies([{ name: 'gk_a11y', value: 'f2.hc', url: BASE }]);
        await open(page, spec.path);
        const cls = (await page.locator('html').getAttribute('class')) || '';
        assert.match(cls, /\bfont-xl\b/);
        assert.match(cls, /\bcontrast-high\b/);
        await checkPage(page, spec, 360);
      } finally {
        await context.close();
      }
    });
  }

  test('home page renders with JavaScript disabled', async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    try {
      await open(page, '/');
      const h1 = page.locator('h1');
      assert.equal(await h1.count(), 1, 'exactly one <h1>');
      assert.ok(await h1.isVisible(), '<h1> is visible');
      assert.ok(((await h1.textContent()) || '').trim().length > 0, '<h1> has text');
    } finally {
      await context.close();
    }
  });
});

describe('keyboard', () => {
  test('the first Tab on / focuses the skip link, which is then visible and moves focus to <main>', async () => {
    const { context, page } = await newPage();
    try {
      await open(page, '/');
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        const r = el.getBoundingClientRect();
        return { tag: el.tagName, text: (el.textContent || '').trim(), href: el.getAttribute('href'), left: r.left, top: r.top, right: r.right };
      });
      assert.equal(focused.tag, 'A', `focused element is <${focused.tag.toLowerCase()}>`);
      assert.equal(focused.text, '跳到主要内容');
      assert.equal(focused.href, '#main');
      assert.ok(focused.left >= 0 && focused.top >= 0 && focused.right <= 1280, `focused skip link is on screen (${JSON.stringify(focused)})`);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main');
    } finally {
      await context.close();
    }
  });
});
