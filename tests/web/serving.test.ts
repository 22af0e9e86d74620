import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { API_TYPES_FILE, apiTypesSource } from '../../scripts/api-types.ts';
import { WEB_CLIENT_CSP, WEB_CLIENT_PATHS } from '../../src/building-blocks/http/web-client.ts';
import { TestApi } from '../support/api.ts';

/** The budget of the first screen's JavaScript, gzipped (docs/performance.md). */
const FIRST_SCREEN_JS_BUDGET_BYTES = 150 * 1024;

let api: TestApi;
beforeAll(async () => {
  api = await TestApi.start({ webClientDirectory: inject('webClientDirectory') });
});
afterAll(() => api.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(new URL(path, api.baseUrl), { headers });

/** The files the page loads before anything shows: its module scripts and stylesheets. */
async function firstScreenAssets(): Promise<string[]> {
  const page = await (await get('/')).text();
  return [...page.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map(
    ([, path]) => path!,
  );
}

describe('the service serves the built web client', () => {
  test('at each of the client’s screens, the same page, under a policy that allows only its own files', async () => {
    const pages = new Set<string>();
    for (const path of WEB_CLIENT_PATHS) {
      const response = await get(path.replace(':projectId', '7'));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(WEB_CLIENT_CSP);
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      pages.add(await response.text());
    }
    expect(pages.size).toBe(1);
    const [page] = pages;
    // Every script is a file of the service's: the policy has no 'unsafe-inline' to allow more.
    expect(page).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(WEB_CLIENT_CSP).not.toContain('unsafe');
  });

  test('a screen’s address with a slash after it is sent to the screen, its query kept', async () => {
    for (const [path, to] of [
      ['/projects/7/', '/projects/7'],
      ['/account/', '/account'],
      ['/login/?next=%2Faccount', '/login?next=%2Faccount'],
    ] as const) {
      const response = await fetch(new URL(path, api.baseUrl), { redirect: 'manual' });
      expect(response.status, path).toBe(308);
      expect(response.headers.get('location')).toBe(to);
    }
  });

  test('never in place of the API, the documentation, health or an unknown path', async () => {
    for (const path of ['/api/projects', '/api/nope', '/projects/7/tasks', '/nope', '/login/x']) {
      const response = await get(path);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    }
    expect((await get('/health')).headers.get('content-type')).toMatch(/^application\/json/);
    expect((await get('/openapi.json')).headers.get('content-type')).toMatch(/^application\/json/);
    const docs = await get('/docs/');
    expect(docs.headers.get('content-security-policy')).not.toBe(WEB_CLIENT_CSP);
  });

  test('its hashed files are cached for good and sent pre-compressed', async () => {
    const [script] = await firstScreenAssets();
    const response = await get(script!, { 'accept-encoding': 'br, gzip' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-encoding')).toBe('br');
    expect((await get('/assets/nothing.js')).status).toBe(404);
    expect((await get('/assets/')).status).toBe(404);
  });

  test(`the first screen's JavaScript is under ${FIRST_SCREEN_JS_BUDGET_BYTES / 1024} kB gzipped`, async () => {
    const scripts = (await firstScreenAssets()).filter((path) => path.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const path of scripts) {
      const file = await readFile(join(inject('webClientDirectory'), path));
      gzipped += gzipSync(file, { level: 9 }).length;
    }
    expect(gzipped).toBeLessThan(FIRST_SCREEN_JS_BUDGET_BYTES);
  });
});

describe('without a built client', () => {
  test('the API runs alone and / is an unknown path', async () => {
    const bare = await TestApi.start({ webClientDirectory: '/nonexistent/web/dist' });
    try {
      const response = await fetch(new URL('/', bare.baseUrl));
      expect(response.status).toBe(404);
      expect((await fetch(new URL('/health', bare.baseUrl))).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe('the generated API client', () => {
  test(`${API_TYPES_FILE} matches the OpenAPI document (else: npm run web:api-types)`, async () => {
    expect(await readFile(API_TYPES_FILE, 'utf8')).toBe(await apiTypesSource());
  });
});
