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
// The catalogue pages (columns, documents, the three kinds of policy
// interpretation, the editor's document list and review page) are found by
// following links from the column pages, as a reader would, not by id.
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
const EDITOR = { username: 'czj_editor', password: 'Wushan#2021' }; // demo 县财政局 editor (public)
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const PUBLIC_PAGES = [
  { path: '/', name: 'home' },
  { path: '/workdays?from=2021-09-24&days=20', name: 'deadline calculator', expect: 'table' },
  { path: '/login', name: 'staff login', expect: 'form[action="/login"]' },
];
const ADMIN_PAGES = [
  { path: '/admin', name: 'admin dashboard' },
  { path: '/admin/mailbox', name: 'mailbox ledger', expect: 'table a[href^="/admin/mailbox/"]' },
  { path: '/admin/mailbox?view=oldest', name: 'oldest unanswered messages', expect: 'table' },
  { path: '/admin/mailbox/1', name: 'a mailbox message', expect: 'h2#h-h' },
  { path: '/admin/mailbox/calls', name: 'phone ledger with checks', expect: 'h2#h-chk' },
  { path: '/admin/mailbox/commitments', name: 'commitments ledger', expect: 'article' },
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
async function logIn(page, account = ADMIN) {
  await open(page, '/login');
  await page.locator('#username').fill(account.username);
  await page.locator('#password').fill(account.password);
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

// ---------------------------------------------------------------------------
// Catalogue: columns, documents and policy interpretations.

const DOC_LINK = 'a[href^="/documents/"]';
/** 文号 of the demo county's founding document, listed under 其他文件. */
const FOUNDING_DOC_NO = '巫山府办发〔2021〕48号';
/** The three kinds of policy interpretation: column slug and the kind's label. */
const INTERPRETATION_KINDS = [
  { slug: 'interpretations-text', label: '文字解读' },
  { slug: 'interpretations-image', label: '图片解读' },
  { slug: 'interpretations-video', label: '视频解读' },
];

/** Paths found by following links from the column pages (filled in by `discoverCatalogue`). */
const found = {};

/** The same-site path a link points to. */
async function pathOf(link, what) {
  assert.ok(await link.count(), `no link to ${what}`);
  const href = await link.first().getAttribute('href');
  const url = new URL(href, BASE);
  assert.equal(url.origin, new URL(BASE).origin, `the link to ${what} leaves the site: ${href}`);
  return url.pathname + url.search;
}

/** Follows the column lists to the founding document, the repealed one and one interpretation of each kind. */
async function discoverCatalogue(page) {
  await open(page, '/columns/other-documents');
  const founding = page.locator('main ul.items li').filter({ hasText: FOUNDING_DOC_NO });
  assert.equal(await founding.count(), 1, `/columns/other-documents lists ${FOUNDING_DOC_NO} once`);
  found.founding = await pathOf(founding.locator(DOC_LINK), FOUNDING_DOC_NO);

  await open(page, '/columns/normative-documents');
  const repealed = page.locator('main ul.items li').filter({ has: page.locator('.tag', { hasText: '废止' }) });
  assert.ok(await repealed.count(), '/columns/normative-documents tags a document 废止');
  found.repealed = await pathOf(repealed.first().locator(DOC_LINK), 'the repealed document');

  for (const kind of INTERPRETATION_KINDS) {
    await open(page, `/columns/${kind.slug}`);
    found[kind.slug] = await pathOf(page.locator(`main ul.items ${DOC_LINK}`), `a ${kind.label} in /columns/${kind.slug}`);
  }
  for (const [key, path] of Object.entries(found)) {
    assert.match(path, /^\/documents\/\d+$/, `${key} links to ${path}`);
  }
}

const CATALOGUE_PAGES = [
  { name: 'home with latest items', path: '/', expect: `.card ul.items ${DOC_LINK}` },
  { name: 'catalogue', path: '/catalogue', expect: 'ul.tree a[href="/columns/normative-documents"]' },
  { name: 'documents column 行政规范性文件', path: '/columns/normative-documents', expect: `ul.items ${DOC_LINK}` },
  { name: '联系我们 column', path: '/columns/contact', expect: 'table' },
  { name: `founding document ${FOUNDING_DOC_NO}`, find: 'founding', expect: 'article h1' },
  { name: 'repealed document', find: 'repealed', expect: '.flash' },
  ...INTERPRETATION_KINDS.map((k) => ({ name: `${k.label} interpretation`, find: k.slug, expect: 'article .tag' })),
  { name: 'search results for a 文号', path: `/search?q=${encodeURIComponent(FOUNDING_DOC_NO)}`, expect: `ol.results ${DOC_LINK}` },
  { name: 'search with filters and no results', path: `/search?q=${encodeURIComponent('火星移民补贴')}&sort=date&kind=document`, expect: 'section [role=status]' },
  { name: '一网答 ask page', path: '/qa', expect: 'input#qa-q' },
  { name: '一网答 immediate answer', path: `/qa?q=${encodeURIComponent('住房公积金怎么提取')}`, expect: 'section.answer .body' },
  { name: '一网答 registration form', path: `/qa?q=${encodeURIComponent('火星移民补贴怎么申请')}`, expect: 'form[action="/qa/ask"] textarea' },
  { name: '依申请公开 application form', path: '/foi', expect: 'form[action^="/foi/apply"] textarea#f-description' },
  { name: '依申请公开 fee estimate', path: '/foi/fees?method=per_page&n=250', expect: 'table caption#cap-fee' },
  { name: '依申请公开 status query', path: '/foi/status?ref=YSQ20210924-0001-ABCDEF', expect: 'form[action="/foi/status"] input#s-ref' },
  { name: '公开信箱 form with captcha', path: '/mailbox', expect: 'form[action="/mailbox"] input#f-captcha' },
  { name: '公开信箱 published replies', path: '/mailbox/replies', expect: 'article h2 a[href^="/mailbox/replies/"]' },
  { name: '公开信箱 statistics', path: '/mailbox/stats', expect: 'caption#cap-u' },
  { name: '公开信箱 query page', path: '/mailbox/track?code=LY20260101-ABCDEF', expect: 'form[action="/mailbox/track"] input#t-code' },
  { name: '舆情回应承诺', path: '/mailbox/commitments', expect: 'caption#cap-c' },
];

/** The spec with its path filled in from `found` when it was found by following links. */
function resolved(spec) {
  if (!spec.find) return spec;
  const path = found[spec.find];
  assert.ok(path, `${spec.name}: not found by following links (discovery failed)`);
  return { ...spec, path };
}

/** The text of the 信息属性 row labelled `label` on a document page. */
async function metaValue(page, label) {
  const row = page.locator('main table.meta-table tr').filter({ has: page.locator('th', { hasText: label }) });
  assert.equal(await row.count(), 1, `one 信息属性 row ${label}`);
  return ((await row.locator('td').textContent()) || '').trim();
}

describe('catalogue pages', () => {
  before(async () => {
    const { context, page } = await newPage();
    try {
      await discoverCatalogue(page);
    } finally {
      await context.close();
    }
  });

  for (const width of WIDTHS) {
    for (const spec of CATALOGUE_PAGES) {
      test(`${spec.name} (${spec.path || 'followed from /columns'}) at ${width}px: no overflow, no serious axe violations`, async () => {
        const { context, page } = await newPage({ viewport: { width, height: HEIGHT } });
        try {
          await checkPage(page, resolved(spec), width);
        } finally {
          await context.close();
        }
      });
    }
  }

  // Elderly readers read documents too: the largest size and high contrast on a phone.
  for (const spec of CATALOGUE_PAGES.filter((s) => s.find === 'founding' || s.find === 'repealed')) {
    test(`${spec.name} with 超大字号 + 高对比度 at 360px: no overflow, no serious axe violations`, async () => {
      const { context, page } = await newPage({ viewport: { width: 360, height: HEIGHT } });
      try {
        await context.addCookies([{ name: 'gk_a11y', value: 'f2.hc', url: BASE }]);
        await checkPage(page, resolved(spec), 360);
        assert.match((await page.locator('html').getAttribute('class')) || '', /\bfont-xl\b.*\bcontrast-high\b|\bcontrast-high\b.*\bfont-xl\b/);
      } finally {
        await context.close();
      }
    });
  }

  test(`the header search box finds the founding document first by its 文号`, async () => {
    const { context, page } = await newPage();
    try {
      await open(page, '/');
      await page.fill('header input[name=q]', FOUNDING_DOC_NO);
      await Promise.all([page.waitForURL(/\/search\?/), page.press('header input[name=q]', 'Enter')]);
      const first = page.locator(`main ol.results ${DOC_LINK}`).first();
      assert.equal(await first.getAttribute('href'), found.founding, 'first hit is the founding document');
    } finally {
      await context.close();
    }
  });

  test(`the 一网答 box suggests library questions while typing, and asking answers at once`, async () => {
    const { context, page } = await newPage();
    try {
      await open(page, '/qa');
      await page.fill('#qa-q', '公积金提取');
      const suggestion = page.locator('#qa-suggest a', { hasText: '住房公积金怎么提取？' });
      await suggestion.waitFor({ timeout: 5000 });
      await Promise.all([page.waitForURL(/\/qa\?q=/), page.press('#qa-q', 'Enter')]);
      assert.match(await page.locator('main section.answer h2').innerText(), /住房公积金怎么提取/);
    } finally {
      await context.close();
    }
  });

  test(`the founding document shows its 文号 and leads back to its column`, async () => {
    const { context, page } = await newPage();
    try {
      await open(page, found.founding);
      assert.equal(await metaValue(page, '文号'), FOUNDING_DOC_NO);
      assert.equal(await metaValue(page, '有效性'), '现行有效');
      assert.equal(await page.locator('nav[aria-label="位置"] a[href="/columns/other-documents"]').count(), 1, 'breadcrumb links to 其他文件');
      assert.equal(await page.locator('main .flash').count(), 0, 'a valid document has no banner');
    } finally {
      await context.close();
    }
  });

  test('the repealed document shows a 废止 banner that links to its replacement', async () => {
    const { context, page } = await newPage();
    try {
      await open(page, found.repealed);
      const banner = page.locator('main .flash').filter({ hasText: '废止' });
      assert.equal(await banner.count(), 1, 'one banner mentioning 废止');
      assert.ok(await banner.isVisible(), 'the banner is visible');
      assert.equal(await metaValue(page, '有效性'), '废止');
      const replacement = await pathOf(banner.locator(DOC_LINK), 'the replacement document (from the banner)');
      assert.notEqual(replacement, found.repealed, 'the banner links to another document');
      const title = ((await banner.locator(DOC_LINK).first().textContent()) || '').trim();
      await open(page, replacement);
      assert.ok(title.includes(((await page.locator('main h1').textContent()) || '').trim()), `the banner link "${title}" names the replacement`);
      assert.equal(await page.locator('main .flash').filter({ hasText: '废止' }).count(), 0, 'the replacement is not itself repealed');
    } finally {
      await context.close();
    }
  });

  for (const kind of INTERPRETATION_KINDS) {
    test(`${kind.label}: the interpretation links to a policy document, which links back`, async () => {
      const { context, page } = await newPage();
      try {
        const self = found[kind.slug];
        await open(page, self);
        assert.equal(((await page.locator('main article .tag').first().textContent()) || '').trim(), kind.label);
        assert.equal(await page.locator(`nav[aria-label="位置"] a[href="/columns/${kind.slug}"]`).count(), 1, `breadcrumb links to /columns/${kind.slug}`);
        if (kind.slug === 'interpretations-image') {
          const img = page.locator('main article img');
          assert.ok(await img.count(), 'an image interpretation shows its image');
          const { alt, loaded } = await img.first().evaluate((el) => ({ alt: el.alt, loaded: el.complete && el.naturalWidth > 0 }));
          assert.ok(alt.trim().length > 0, 'the image has alt text');
          assert.ok(loaded, 'the image loads');
        }
        if (kind.slug !== 'interpretations-text') {
          // 图片/视频解读 carry their content as a picture or a film: the 文字稿 / 图片说明
          // entered by the editor is its text alternative and must be on the page.
          const text = page.locator('main .transcript');
          assert.equal(await text.count(), 1, `${kind.label} shows its text alternative`);
          assert.ok(((await text.textContent()) || '').trim().length > 10, `${kind.label}: the text alternative has text`);
        }
        const linked = page.locator('main section').filter({ has: page.locator('h2', { hasText: '解读的政策文件' }) });
        assert.equal(await linked.count(), 1, 'a 解读的政策文件 section');
        const policy = await pathOf(linked.locator(DOC_LINK), `the policy document this ${kind.label} interprets`);
        await open(page, policy);
        assert.equal(await page.locator('main article .tag').count(), 0, `${policy} is a policy document, not an interpretation`);
        const back = page.locator('main section').filter({ has: page.locator('h2', { hasText: '政策解读' }) });
        assert.equal(await back.locator(`a[href="${self}"]`).count(), 1, `${policy} lists ${self} under 政策解读`);
      } finally {
        await context.close();
      }
    });
  }
});

describe('catalogue admin pages (logged in as czj_editor)', () => {
  /** Storage state (session cookie) of the logged-in demo editor. */
  let editorState;
  /** A document review page that lists privacy findings, followed from /admin/documents. */
  let reviewPath;
  /** An application of the editor's bureau, followed from /admin/foi. */
  let foiCasePath;
  /** The demo task list and one of its rows, followed from /admin/tasks. */
  let taskPlanPath;
  let taskRowPath;

  before(async () => {
    const { context, page } = await newPage();
    try {
      await logIn(page, EDITOR);
      editorState = await context.storageState();
      await open(page, '/admin/documents');
      const links = await page
        .locator('main table a[href^="/admin/documents/"]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')).filter((h) => /^\/admin\/documents\/\d+$/.test(h)));
      assert.ok(links.length, '/admin/documents lists documents');
      for (const href of links.slice(0, 5)) {
        await open(page, href);
        if (await page.locator('main #cap-priv').count()) {
          reviewPath = href;
          break;
        }
      }
      assert.ok(reviewPath, `none of ${links.slice(0, 5).join(', ')} shows privacy findings`);
      await open(page, '/admin/foi');
      const cases = await page
        .locator('main table a[href^="/admin/foi/"]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')).filter((h) => /^\/admin\/foi\/\d+$/.test(h)));
      assert.ok(cases.length, '/admin/foi lists the bureau\'s applications');
      foiCasePath = cases[0];
      await open(page, '/admin/tasks');
      taskPlanPath = await page.locator('main table a[href^="/admin/tasks/plans/"]').first().getAttribute('href');
      assert.ok(taskPlanPath, '/admin/tasks lists the demo task list');
      await open(page, taskPlanPath);
      taskRowPath = await page.locator('main table a[href^="/admin/tasks/rows/"]').first().getAttribute('href');
      assert.ok(taskRowPath, 'the task tree links its rows');
    } finally {
      await context.close();
    }
  });

  const specs = [
    { name: 'document list', path: '/admin/documents', expect: 'table a[href^="/admin/documents/"]' },
    { name: 'search administration', path: '/admin/search', expect: 'h2#h-misses' },
    { name: 'Q&A library', path: '/admin/qa', expect: 'table a[href^="/admin/qa/"]' },
    { name: 'Q&A entry editor', path: '/admin/qa/new', expect: 'textarea#f-answer' },
    { name: 'document review page with privacy findings', find: 'review', expect: 'caption#cap-priv' },
    { name: 'application ledger', path: '/admin/foi', expect: 'table a[href^="/admin/foi/"]' },
    { name: 'application statistics', path: '/admin/foi/stats', expect: 'caption#cap-t3' },
    { name: 'application case page', find: 'foi', expect: 'h2#h-history' },
    { name: 'task lists', path: '/admin/tasks', expect: 'table a[href^="/admin/tasks/plans/"]' },
    { name: 'my tasks', path: '/admin/tasks/mine', expect: 'h2#h-mr' },
    { name: 'task tree', find: 'plan', suffix: '', expect: 'table a[href^="/admin/tasks/rows/"]' },
    { name: 'task dashboard', find: 'plan', suffix: '/dashboard', expect: 'svg.chart' },
    { name: 'lagging units and notices', find: 'plan', suffix: '/lagging', expect: 'h2#h-n' },
    { name: 'task assessment', find: 'plan', suffix: '/assessment', expect: 'h2#h-rep' },
    { name: 'task row with timeline', find: 'row', expect: 'h2#h-t' },
  ];
  const followed = { foi: 'followed from /admin/foi', review: 'followed from /admin/documents', plan: 'followed from /admin/tasks', row: 'followed from a task tree' };
  for (const width of WIDTHS) {
    for (const spec of specs) {
      test(`${spec.name} (${spec.path || followed[spec.find]}${spec.suffix || ''}) at ${width}px: no overflow, no serious axe violations`, async () => {
        const { context, page } = await newPage({ viewport: { width, height: HEIGHT }, storageState: editorState });
        try {
          const found = { foi: foiCasePath, review: reviewPath, plan: taskPlanPath, row: taskRowPath }[spec.find];
          const path = found && `${found}${spec.suffix || ''}`;
          await checkPage(page, spec.find ? { ...spec, path } : spec, width);
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
