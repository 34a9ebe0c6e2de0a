// Headless Chromium (Debian's `chromium`) driven by puppeteer-core, for tests that check what a
// person sees in the web dashboard. Screenshots go under .tmp/screenshots/ (git-ignored).
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { tempDir } from './hub-process.js';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium binary, or undefined when the machine has none (tests then skip and say why). */
export function chromiumPath(): string | undefined {
  return candidates.find((path): path is string => path !== undefined && existsSync(path));
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless: true,
    // The hub's certificate is signed by its own CA, which this throwaway profile does not trust.
    acceptInsecureCerts: true,
    userDataDir: tempDir('chromium'),
    // No sandbox: tests run as root, where Chromium refuses its own; /dev/shm is small in CI VMs.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run'],
  });
}

export const screenshotDir = resolve('.tmp', 'screenshots');

/** Saves a full-page screenshot as `.tmp/screenshots/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
