import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The web client built from the current sources, for the service to serve. */
    webClientDirectory: string;
  }
}

/**
 * Builds the web client once for the browser tests, from the sources as they are, into a
 * directory of its own (web/dist, which `npm start` uses, is left alone).
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const directory = await mkdtemp(join(tmpdir(), 'taskflow-web-client-'));
  await build({
    configFile: 'web/vite.config.ts',
    logLevel: 'warn',
    build: { outDir: directory, emptyOutDir: true },
  });
  project.provide('webClientDirectory', directory);
  return () => rm(directory, { recursive: true, force: true });
}
