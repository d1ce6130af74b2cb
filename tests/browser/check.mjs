// Browser checks of Agora's pages, run by tests/browser.rs against a real server:
//   node tests/browser/check.mjs http://127.0.0.1:8080
//
// 1. Crawls same-origin links breadth-first from `/` (plain HTTP, as a browser asks for HTML),
//    groups pages by page type (`/`, `/consultaties`, `/id/consultatie/*`, `/resource?uri`, ...)
//    and opens up to PAGES_PER_TYPE of each type in Debian's headless chromium, so that a new page
//    type is checked as soon as some page links to it. `/sparql`, `/sparql?example=<first>` and a
//    results page are always checked.
// 2. On each: axe-core (WCAG 2.0/2.1 A and AA) with serious or critical impact; exactly one
//    <main> and one <h1>; headings that do not skip levels; a label for every form control; the
//    first Tab focuses a visible skip link that leads into <main>.
// 3. Home → a meeting → a decision (or agenda item) → browser back, each load answered 200;
//    the language switch; a search form when the pages have one.
// 4. A Content-Security-Policy header on every page, and no CSP violation reported by the browser.
// 5. Full-page screenshots of the first page of each type, in AGORA_SCREENSHOTS (default
//    $CARGO_TARGET_DIR/browser-screenshots, else target/browser-screenshots).
//
// Every failure is printed under a named check (axe, structure, keyboard, navigation, language,
// links, csp); the exit status is 1 when any check failed, 2 when the harness itself could not run.
//
// Environment: AGORA_BROWSER_TOOLS, a node_modules folder with playwright-core and axe-core
// (default ~/.cache/agora/browser/node_modules, installed by tests/browser/install.sh);
// AGORA_CHROMIUM (default /usr/bin/chromium).

import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

const PAGES_PER_TYPE = 2;
/** Pages fetched while crawling, in all and per page type (known from the URL before fetching):
 *  a page type's templates show the same kinds of links on each of its pages, so a few pages of a
 *  type find what it links to, and the crawl stays a few seconds however large the data. */
const MAX_CRAWL = 300;
const MAX_FETCH_PER_TYPE = 4;
/** `/sparql?query=` links (results pages) followed while crawling: each runs a query. */
const MAX_QUERY_LINKS = 2;
/** Pages open at once: the server answers one while chromium lays out another. */
const CONCURRENCY = 3;
const ACCEPT_HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SERIOUS = new Set(['serious', 'critical']);

const base = process.argv[2];
if (!base) {
  console.error('usage: node check.mjs BASE_URL');
  process.exit(2);
}
const origin = new URL(base).origin;
const tools = process.env.AGORA_BROWSER_TOOLS
  || path.join(homedir(), '.cache/agora/browser/node_modules');
const chromiumPath = process.env.AGORA_CHROMIUM || '/usr/bin/chromium';
const screenshots = process.env.AGORA_SCREENSHOTS
  || path.join(process.env.CARGO_TARGET_DIR || 'target', 'browser-screenshots');

const require = createRequire(path.join(tools, 'noop.js'));
let chromium;
let axeSource;
try {
  ({ chromium } = require('playwright-core'));
  axeSource = require('axe-core').source;
} catch (error) {
  console.error(`playwright-core and axe-core are not in ${tools} (${error.message}); `
    + 'install them with `bash tests/browser/install.sh` or set AGORA_BROWSER_TOOLS');
  process.exit(2);
}
if (!existsSync(chromiumPath)) {
  console.error(`no chromium at ${chromiumPath}; install it with \`sudo apt-get install -y chromium\` `
    + 'or set AGORA_CHROMIUM');
  process.exit(2);
}

/** Failures by check name: [{ page, message }]. */
const failures = new Map();
function fail(check, page, message) {
  if (!failures.has(check)) failures.set(check, []);
  failures.get(check).push({ page, message });
}

// ---------------------------------------------------------------------------------------------
// Crawl

/** The page type of a same-origin URL: its path with identifiers replaced by `*`, and the names
 *  of its query parameters (a different parameter set can be a different template). */
function pageType(url) {
  const segments = url.pathname.split('/').filter(Boolean);
  const pattern = segments.map((segment, index) => {
    if (segments[0] === 'id' && index >= 2) return '*';
    if (/^[0-9a-f-]{8,}$/i.test(segment) || /^\d+$/.test(segment)) return '*';
    return segment;
  });
  const names = [...new Set([...url.searchParams.keys()])].filter((n) => n !== 'lang').sort();
  return '/' + pattern.join('/') + (names.length ? '?' + names.join('&') : '');
}

function decodeEntities(text) {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Links worth following: same origin, an HTML page, not a download, format, API or language link. */
function followable(url, attributes) {
  if (url.origin !== origin) return false;
  if (/\bdownload\b/i.test(attributes)) return false;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/shapes/')) return false;
  if (url.searchParams.has('format') || url.searchParams.has('lang')) return false;
  if (/\.(ttl|nt|nq|trig|jsonld|json|rdf|xml|csv|tsv|zip|gz|pdf)$/i.test(url.pathname)) return false;
  return true;
}

async function crawl() {
  const start = new URL('/', origin).href;
  const queue = [start];
  const seen = new Set(queue);
  const byType = new Map();
  const fetchedByType = new Map([['/', 1]]);
  let queryLinks = 0;
  let fetched = 0;
  let skipped = 0;
  while (queue.length > 0 && fetched < MAX_CRAWL) {
    const href = queue.shift();
    fetched += 1;
    let response;
    try {
      response = await fetch(href, { headers: { Accept: ACCEPT_HTML }, redirect: 'follow' });
    } catch (error) {
      fail('links', href, `request failed: ${error.message}`);
      continue;
    }
    const body = await response.text();
    if (response.status !== 200) {
      fail('links', href, `answered ${response.status} (linked from a crawled page)`);
      continue;
    }
    if (!(response.headers.get('content-type') || '').includes('text/html')) continue;
    const url = new URL(href);
    const type = pageType(url);
    if (!byType.has(type)) byType.set(type, []);
    byType.get(type).push(href);
    for (const match of body.matchAll(/<a\b([^>]*?)\bhref\s*=\s*"([^"]*)"([^>]*)>/gi)) {
      let next;
      try {
        next = new URL(decodeEntities(match[2]), href);
      } catch {
        continue;
      }
      next.hash = '';
      if (!followable(next, match[1] + match[3]) || seen.has(next.href)) continue;
      const nextType = pageType(next);
      if ((fetchedByType.get(nextType) || 0) >= MAX_FETCH_PER_TYPE) {
        seen.add(next.href);
        skipped += 1;
        continue;
      }
      fetchedByType.set(nextType, (fetchedByType.get(nextType) || 0) + 1);
      if (next.pathname === '/sparql' && next.searchParams.has('query')) {
        if (queryLinks >= MAX_QUERY_LINKS) continue;
        queryLinks += 1;
      }
      seen.add(next.href);
      queue.push(next.href);
    }
  }
  return { byType, fetched, left: queue.length + skipped };
}

// ---------------------------------------------------------------------------------------------
// Checks on one page

/** Structure: landmarks, headings, labels. Runs in the page. */
function structureInPage() {
  const problems = [];
  const mains = document.querySelectorAll('main, [role="main"]');
  if (mains.length !== 1) problems.push(`${mains.length} <main> landmarks (want exactly 1)`);
  const h1s = document.querySelectorAll('h1');
  if (h1s.length !== 1) {
    problems.push(`${h1s.length} <h1> elements (want exactly 1)`
      + [...h1s].map((h) => ` "${h.textContent.trim().slice(0, 60)}"`).join(','));
  }
  let previous = 0;
  let previousText = '(start of page)';
  for (const heading of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(heading.tagName[1]);
    const text = heading.textContent.trim().replace(/\s+/g, ' ').slice(0, 60);
    if (level > previous + 1) {
      problems.push(`heading skips a level: h${previous || '-'} "${previousText}" then h${level} "${text}"`);
    }
    previous = level;
    previousText = text;
  }
  const controls = document.querySelectorAll(
    'input:not([type="hidden"]):not([type="submit"]):not([type="button"]):not([type="reset"]):not([type="image"]), select, textarea');
  for (const control of controls) {
    const byLabel = [...(control.labels || [])].some((l) => l.textContent.trim() !== '');
    const byAria = (control.getAttribute('aria-label') || '').trim() !== '';
    const byLabelledBy = (control.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean)
      .some((id) => (document.getElementById(id)?.textContent || '').trim() !== '');
    if (!byLabel && !byAria && !byLabelledBy) {
      const name = control.getAttribute('name') ? `[name="${control.getAttribute('name')}"]` : '';
      const id = control.id ? `#${control.id}` : '';
      problems.push(`form control without a label: <${control.tagName.toLowerCase()}${id}${name}>`);
    }
  }
  return problems;
}

/** What has focus, and whether it is a visible skip link into <main>. Runs in the page. */
function focusInPage() {
  const element = document.activeElement;
  if (!element || element === document.body) return { problem: 'Tab focused nothing' };
  const description = element.outerHTML.slice(0, 120);
  const href = element.getAttribute('href') || '';
  if (element.tagName !== 'A' || !href.startsWith('#') || href.length < 2) {
    return { problem: `first Tab focused ${description}, not a skip link (<a href="#...">)` };
  }
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  const visible = box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
    && box.left < innerWidth && box.top < innerHeight
    && style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0;
  if (!visible) return { problem: `the skip link ${description} is not visible when focused` };
  const target = document.getElementById(decodeURIComponent(href.slice(1)));
  const main = document.querySelector('main, [role="main"]');
  if (!target) return { problem: `the skip link points at ${href}, which is not on the page` };
  if (main && !(target === main || main.contains(target) || target.contains(main))) {
    return { problem: `the skip link points at ${href}, which is not the main content` };
  }
  return { problem: null };
}

async function checkPage(context, href, type, screenshot) {
  const page = await context.newPage();
  const violations = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  try {
    const response = await page.goto(href, { waitUntil: 'load' });
    const status = response ? response.status() : 0;
    if (status !== 200) {
      fail('links', href, `answered ${status} in the browser`);
      return;
    }
    const csp = response.headers()['content-security-policy'];
    if (!csp) fail('csp', href, 'no Content-Security-Policy header');

    // Keyboard first, before anything else moves focus.
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(focusInPage);
    if (focus.problem) fail('keyboard', href, focus.problem);

    for (const problem of await page.evaluate(structureInPage)) fail('structure', href, problem);

    const results = await page.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary, html: n.html })),
      }));
    }, AXE_TAGS);
    for (const v of results) {
      if (!SERIOUS.has(v.impact)) {
        console.log(`  note (${v.impact}, not failing): ${v.id} on ${href}: ${v.help}`);
        continue;
      }
      const nodes = v.nodes.slice(0, 6).map((n) => `\n        ${n.target}   ${n.html.slice(0, 100)}`
        + (n.summary ? `\n          ${n.summary.replace(/\n\s*/g, ' / ').slice(0, 220)}` : '')).join('');
      const more = v.nodes.length > 6 ? `\n        ... and ${v.nodes.length - 6} more` : '';
      fail('axe', href, `${v.id} (${v.impact}): ${v.help}\n      ${v.helpUrl}${nodes}${more}`);
    }
    if (screenshot) {
      // The page as a reader first sees it, not with the skip link focused by the Tab above.
      await page.evaluate(() => document.activeElement?.blur());
      const file = path.join(screenshots, `${type.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'}.png`);
      await page.screenshot({ path: file, fullPage: true });
    }
    for (const text of violations) fail('csp', href, `the browser reports: ${text}`);
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Journeys

async function expectLoad(page, action, what) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  const status = response ? response.status() : 0;
  if (status !== 200) fail('navigation', page.url(), `${what}: answered ${status}`);
  return status === 200;
}

async function homeToDecisionAndBack(context) {
  const page = await context.newPage();
  try {
    const home = await page.goto(new URL('/', origin).href);
    if (home.status() !== 200) return fail('navigation', '/', `home answered ${home.status()}`);
    const meeting = page.locator('main a[href*="/id/vergaderactiviteit/"], main a[href*="vergaderactiviteit%2F"]').first();
    if (await meeting.count() === 0) return fail('navigation', page.url(), 'the home page links to no meeting');
    if (!await expectLoad(page, () => meeting.click(), 'home → meeting')) return;
    const meetingUrl = page.url();
    // A decision when the meeting page links to one, else its first agenda item.
    let decision = page.locator('main a[href*="/id/beslissingsactiviteit/"], main a[href*="beslissingsactiviteit%2F"]').first();
    if (await decision.count() === 0) {
      decision = page.locator('main a[href*="/id/agendapunt/"], main a[href*="agendapunt%2F"]').first();
    }
    if (await decision.count() === 0) return fail('navigation', meetingUrl, 'the meeting page links to no decision or agenda item');
    if (!await expectLoad(page, () => decision.click(), 'meeting → decision')) return;
    const decisionUrl = page.url();
    if (!await expectLoad(page, () => page.goBack(), 'decision → back')) return;
    if (page.url() !== meetingUrl) fail('navigation', decisionUrl, `back went to ${page.url()}, not ${meetingUrl}`);
    console.log(`navigation: / → ${new URL(meetingUrl).pathname} → ${new URL(decisionUrl).pathname} → back: 200 each`);
  } catch (error) {
    fail('navigation', page.url(), `the journey broke: ${error.message.split('\n')[0]}`);
  } finally {
    await page.close();
  }
}

/** Follows the language link of the home page and back; the page's lang must follow. */
async function switchLanguage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(new URL('/', origin).href);
    const before = await page.evaluate(() => document.documentElement.lang);
    const link = page.locator('a[hreflang]:not([hreflang=""]), a[href*="lang="]').first();
    if (await link.count() === 0) return fail('language', '/', 'no language switch on the home page');
    const wanted = (await link.getAttribute('hreflang'))
      || new URL(await link.getAttribute('href'), origin).searchParams.get('lang');
    if (!await expectLoad(page, () => link.click(), `switch to ${wanted}`)) return;
    const after = await page.evaluate(() => document.documentElement.lang);
    if (after !== wanted) {
      fail('language', page.url(), `after switching to "${wanted}" the page says <html lang="${after}"> (was "${before}"): `
        + 'screen readers read the interface in the wrong language (WCAG 3.1.1)');
    }
    // The choice sticks (cookie): the next page without ?lang= keeps it.
    await page.goto(new URL('/consultaties', origin).href);
    const next = await page.evaluate(() => document.documentElement.lang);
    console.log(`language: "${before}" → link to "${wanted}" → <html lang="${after}">, next page <html lang="${next}">`);
    // The home page in the other language gets the same checks (and a screenshot).
    await context.addInitScript(axeSource);
    await checkPage(context, new URL('/', origin).href, `/?lang=${wanted}`, true);
  } catch (error) {
    fail('language', page.url(), `the switch broke: ${error.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
}

/** Searches when the home page has a search form (issue 6 asks for one; skipped until it exists). */
async function search(context) {
  const page = await context.newPage();
  try {
    await page.goto(new URL('/', origin).href);
    const box = page.locator('form[role="search"] input, search input, input[type="search"]').first();
    if (await box.count() === 0) {
      console.log('search: the home page has no search form yet (skipped)');
      return;
    }
    await box.fill('klimaat');
    if (await expectLoad(page, () => box.press('Enter'), 'search')) {
      console.log(`search: "klimaat" → ${new URL(page.url()).pathname}${new URL(page.url()).search}: 200`);
    }
  } catch (error) {
    fail('navigation', page.url(), `search broke: ${error.message.split('\n')[0]}`);
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  mkdirSync(screenshots, { recursive: true });
  // The folder holds this run's screenshots only: a page type that is gone leaves no stale file.
  for (const file of readdirSync(screenshots)) {
    if (file.endsWith('.png')) rmSync(path.join(screenshots, file));
  }
  const { byType, fetched, left } = await crawl();
  const crawled = Date.now();

  // Always: the query page, its first example and a results page.
  const sparqlHtml = await (await fetch(new URL('/sparql', origin), { headers: { Accept: ACCEPT_HTML } })).text();
  const example = sparqlHtml.match(/href="[^"]*[?&](?:amp;)?example=([^"&]+)/);
  const always = [['/sparql', new URL('/sparql', origin).href]];
  if (example) {
    always.push(['/sparql?example', new URL(`/sparql?example=${example[1]}`, origin).href]);
  } else {
    fail('links', '/sparql', 'the query page lists no example (href with ?example=)');
  }
  always.push(['/sparql?query', new URL(`/sparql?query=${encodeURIComponent(
    'SELECT ?thing ?label WHERE { ?thing <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 5')}`, origin).href]);
  for (const [type, href] of always) {
    const pages = byType.get(type) || [];
    if (!pages.includes(href)) byType.set(type, [href, ...pages]);
  }

  const types = [...byType.keys()].sort();
  console.log(`crawled ${fetched} pages from / in ${((crawled - started) / 1000).toFixed(1)} s `
    + `(${left} more links not fetched); ${types.length} page types:`);
  for (const type of types) {
    const checked = byType.get(type).slice(0, PAGES_PER_TYPE).map((h) => h.slice(origin.length));
    console.log(`  ${type}  (${byType.get(type).length} found; checking ${checked.join(' ')})`);
  }

  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--disable-gpu'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // axe-core in every document the context loads. Init scripts run outside the page's CSP, so
    // axe needs neither 'unsafe-inline' nor 'unsafe-eval' from the server.
    await context.addInitScript(axeSource);
    const jobs = types.flatMap((type) => byType.get(type).slice(0, PAGES_PER_TYPE)
      .map((href, index) => ({ type, href, screenshot: index === 0 })));
    const workers = Array.from({ length: CONCURRENCY }, async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) {
        await checkPage(context, job.href, job.type, job.screenshot);
      }
    });
    await Promise.all(workers);
    console.log(`checked ${types.length} page types in ${((Date.now() - crawled) / 1000).toFixed(1)} s`);
    await homeToDecisionAndBack(context);
    await search(context);
    await context.close();
    await switchLanguage(browser);
  } finally {
    await browser.close();
  }

  console.log(`screenshots: ${path.resolve(screenshots)}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.size === 0) {
    console.log(`browser checks: all passed in ${seconds} s`);
    return 0;
  }
  console.log(`\nbrowser checks FAILED in ${seconds} s:`);
  for (const [check, list] of [...failures.entries()].sort()) {
    console.log(`\n[${check}] ${list.length} failure(s)`);
    let last = null;
    for (const { page, message } of list) {
      const where = page.startsWith(origin) ? page.slice(origin.length) : page;
      if (where !== last) console.log(`  ${where}`);
      last = where;
      console.log(`    - ${message}`);
    }
  }
  console.log(`\nfailed checks: ${[...failures.keys()].sort().join(', ')}`);
  return 1;
}

main().then((code) => process.exit(code), (error) => {
  console.error(`the browser checks could not run: ${error.stack || error}`);
  process.exit(2);
});
