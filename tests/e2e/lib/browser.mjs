// Debian's Chromium driven by playwright-core (no browser download), as the
// browser tests of the station app use it. MESD_CHROMIUM names another binary.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.MESD_CHROMIUM ?? '/usr/bin/chromium';

// A headless Chromium with its own profile folder; its first page.
export async function launchChromium(profile, viewport) {
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport,
  });
  const page = browser.pages()[0] ?? await browser.newPage();
  page.setDefaultTimeout(10000);
  return { browser, page };
}
