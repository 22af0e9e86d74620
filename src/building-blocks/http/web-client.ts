import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { PAGE_HEADERS } from './http-edge.ts';

/**
 * The paths the web client answers itself (its screens). Only these get the client's page: an
 * unknown path stays a 404 problem document, and /api, /docs, /health and /openapi.json are
 * never shadowed by it. A screen added to the client (web/src/routes.tsx) is added here too;
 * tests/web/serving.test.ts loads each.
 */
export const WEB_CLIENT_PATHS = [
  '/',
  '/login',
  '/signup',
  '/projects',
  '/projects/:projectId',
  '/account',
] as const;

/**
 * The page's policy: its scripts, styles, images and API calls from this origin only, no
 * inline script or style element, no plugins, no framing. The built client needs nothing more
 * (Vite writes no inline script; React sets styles through the DOM, which CSP allows).
 */
export const WEB_CLIENT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the build keeps its content-hashed files: their names change whenever they do. */
const ASSETS = '/assets/';
const A_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The built client (`web/dist`, made by `npm run web:build`), or undefined when it has not
 * been built: the API then runs on its own. The page is read once, here; the hashed assets are
 * served from disk, with their pre-compressed `.br` / `.gz` twins when the browser takes them.
 * Nothing is added to the API's routes: these are routes of their own, no hook.
 */
export function webClient(directory: string) {
  const root = resolve(directory);
  let page: string;
  try {
    page = readFileSync(join(root, 'index.html'), 'utf8');
  } catch {
    return undefined;
  }
  return async (app: FastifyInstance) => {
    await app.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: ASSETS,
      decorateReply: false,
      index: false,
      // A folder is no asset: 404, not the 403 of a folder without an index.
      allowedPath: (path) => !path.endsWith('/'),
      preCompressed: true,
      immutable: true,
      maxAge: A_YEAR_MS,
      schemaHide: true,
    });
    for (const path of WEB_CLIENT_PATHS) {
      app.get(path, { schema: { hide: true } }, (_request, reply) =>
        reply
          .type('text/html; charset=utf-8')
          // The page names the current assets: a browser asks again each time it loads it.
          .header('cache-control', 'no-cache')
          .header('content-security-policy', WEB_CLIENT_CSP)
          .headers(PAGE_HEADERS)
          .send(page),
      );
      // A screen's address with a slash after it (typed, or from a link) is the same screen:
      // sent to it, rather than shown the API's 404 problem document.
      if (path !== '/') {
        app.get(`${path}/`, { schema: { hide: true } }, (request, reply) => {
          const url = new URL(request.url, 'http://client');
          return reply.redirect(`${url.pathname.slice(0, -1)}${url.search}`, 308);
        });
      }
    }
  };
}
