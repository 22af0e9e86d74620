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
  // React's production build, as `npm start` serves it: Vite keeps the NODE_ENV it finds, and
  // Vitest sets "test" (React's development build: twice the size, every effect run twice).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: 'web/vite.config.ts',
      logLevel: 'warn',
      build: { outDir: directory, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  project.provide('webClientDirectory', directory);
  return () => rm(directory, { recursive: true, force: true });
}
