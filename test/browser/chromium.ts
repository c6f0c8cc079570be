import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

/** Debian's chromium package (`apt-get install chromium`); playwright never downloads a browser here. */
function chromiumPath(): string {
  const found =
    process.env.CHROMIUM_PATH ?? execFileSync('sh', ['-c', 'command -v chromium || true']).toString().trim();
  if (!found)
    throw new Error('chromium is not installed: apt-get install -y --no-install-recommends chromium');
  return found;
}

/**
 * Headless chromium with no sandbox (containers), no GPU and no background traffic. Playwright gives
 * every launch a fresh temporary profile (its own `--user-data-dir`), removed on close.
 */
export async function launchChromium(): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
