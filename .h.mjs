import { startSimServer } from './sim/server.mjs';
import { BANNER_HOST, launchWithExtension } from './tests/e2e/browser.mjs';

const sim = await startSimServer({ port: 0 });
const b = await launchWithExtension({ extensionDir: '.output/chrome-mv3' });
const page = await b.context.newPage();
await page.setViewportSize({ width: 1920, height: 1080 });
await page.goto(sim.url(process.argv[2] ?? 'optimiserx-inline.html'));
await page.waitForTimeout(4000);
await page.locator('mo-advisor-banner button.toggle').click();
await page.waitForTimeout(800);
console.log(
  await page.evaluate((host) => {
    const el = document.querySelector(host).shadowRoot.querySelector('[data-testid="mo-banner"]');
    const r = el.getBoundingClientRect();
    return el.dataset.form + ' ' + JSON.stringify(r);
  }, BANNER_HOST),
);
const el = page.locator('mo-advisor-banner [data-testid="mo-banner"]');
await el.screenshot({ path: '/tmp/bx/expanded.png' });
await b.close();
await sim.close();
