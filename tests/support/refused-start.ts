import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

/**
 * Runs a process of the service (`src/main.ts`, `src/worker.ts`, `src/cli.ts ...`) with `env`
 * added that must refuse to start: it exits 1 having written one line, which is returned.
 */
export function refusedStart(args: string[], env: Record<string, string>): string {
  const result = spawnSync(process.execPath, args, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(result.status, result.stderr).toBe(1);
  expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
  return result.stderr;
}
