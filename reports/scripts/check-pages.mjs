// Opens every report page in headless Chromium (Debian's /usr/bin/chromium) from a local server,
// and prints one JSON line per page: console errors, page errors, failed requests, query errors shown
// on the page, how many tables rows and charts rendered, the text of every table cell shown, the page's text and the
// screenshot path.
// Usage: node scripts/check-pages.mjs http://127.0.0.1:PORT screenshots-dir page [page ...]
import { chromium } from 'playwright-core';

const [base, shots, ...pages] = process.argv.slice(2);
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync']
});
// A few pages at a time: most of a page's time is waiting (for the network to go idle, for the charts to draw).
const AT_ONCE = Number(process.env.CHECK_PAGES_AT_ONCE || 3);

async function check(page) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
	const tab = await context.newPage();
	const consoleErrors = [];
	const pageErrors = [];
	const failedRequests = [];
	tab.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
	tab.on('pageerror', (e) => pageErrors.push(String(e)));
	tab.on('requestfailed', (r) => failedRequests.push(`${r.url()} ${r.failure()?.errorText}`));
	const url = `${base}/${page}`;
	await tab.goto(url, { waitUntil: 'networkidle', timeout: 60000 });
	// Tables and charts draw after the data arrives, later on a busy machine (a fixed 1.5 s once read a page
	// before its tables): wait until the count of rendered rows and charts has held still for a second, at most 30 s.
	const drawn = tab.locator('table tr:has(td), .echarts, [_echarts_instance_]');
	let count = -1;
	let stillSince = Date.now();
	for (const deadline = Date.now() + 30000; Date.now() < deadline; await tab.waitForTimeout(250)) {
		const now = await drawn.count();
		if (now !== count) [count, stillSince] = [now, Date.now()];
		else if (now > 0 && Date.now() - stillSince >= 1000) break;
	}
	const text = await tab.innerText('body');
	const result = {
		page: page || 'index',
		url,
		consoleErrors,
		pageErrors,
		failedRequests,
		queryErrors: (text.match(/Error in Query|Catalog Error|Binder Error/g) || []).length,
		tableRows: await tab.locator('table tr:has(td)').count(),
		charts: await tab.locator('.echarts, [_echarts_instance_]').count(),
		cells: await tab.locator('table td').allInnerTexts(),
		text,
		screenshot: `${shots}/${page || 'index'}.png`
	};
	await tab.screenshot({ path: result.screenshot, fullPage: true });
	await context.close();
	return result;
}

const queue = [...pages];
const results = new Map();
await Promise.all(
	Array.from({ length: Math.min(AT_ONCE, pages.length) }, async () => {
		while (queue.length) {
			const page = queue.shift();
			results.set(page, await check(page));
		}
	})
);
// In the order asked, whatever order they finished in.
for (const page of pages) console.log(JSON.stringify(results.get(page)));
await browser.close();
