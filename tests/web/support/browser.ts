/// <reference lib="dom" />
// (Functions passed to page.evaluate run in the browser, on its DOM.)
import { mkdir } from 'node:fs/promises';
import axe from 'axe-core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { ServerProcess } from '../../support/server-process.ts';

/**
 * Debian's Chromium (the `chromium` package; .ci/run installs it), never a downloaded
 * browser: playwright-core only drives it.
 */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go; CI keeps the folder (see .ci/run). */
export const SCREENSHOTS = 'artifacts/screenshots';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/** The service as `npm start` runs it, serving the client built for this run, on SQLite. */
export async function startService(env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await ServerProcess.start({
    NODE_ENV: 'test',
    DATABASE_URL: 'sqlite::memory:',
    JWT_SECRET: 'browser-test-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    WEB_CLIENT_DIR: inject('webClientDirectory'),
    ...env,
  });
  await server.ready();
  return server;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface Running {
  readonly server: ServerProcess;
  readonly browser: Browser;
  /** A new person: a fresh browser profile on the service. */
  person(viewport?: { width: number; height: number }): ReturnType<typeof newPerson>;
}

/** The service and Chromium for one test file: started before its tests, stopped after. */
export function serviceAndBrowser(env: Record<string, string> = {}): Running {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startService(env), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const running: Running = {
    get server() {
      if (!server) throw new Error('the service is not started yet');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not started yet');
      return browser;
    },
    person: (viewport = DESKTOP) => newPerson(running.browser, running.server.url, viewport),
  };
  return running;
}

/**
 * A fresh browser profile (its own cookies) at a phone's or a desktop's width. Every message
 * the page logs about its Content Security Policy is collected: the built client must need
 * nothing the policy forbids.
 */
export async function newPerson(
  browser: Browser,
  baseURL: string,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page; cspViolations: string[] }> {
  const context = await browser.newContext({ baseURL, viewport });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
  });
  return { context, page, cspViolations };
}

export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core in the page (through the DevTools protocol, which the page's CSP does not
 * govern) and returns its serious and critical violations.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const results = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}
