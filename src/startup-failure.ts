import { StartupError } from './building-blocks/infrastructure/startup-error.ts';
import { ConfigError } from './config.ts';

/**
 * What a process that could not start prints: one line that says what to do for what an
 * operator gets wrong (a setting, the database, a port already taken), the whole error with
 * its stack for anything else (a fault of this code).
 */
export function startupFailure(error: unknown): unknown {
  if (error instanceof ConfigError) return `Configuration error: ${error.message}`;
  if (error instanceof StartupError) return error.message;
  if (typeof error !== 'object' || error === null) return error;
  const { code, port, address } = error as { code?: string; port?: number; address?: string };
  if (code === 'EADDRINUSE') {
    return `Port ${port} on ${address} is already in use (another instance?): stop it, or choose another PORT (METRICS_PORT for the metrics).`;
  }
  if (code === 'EADDRNOTAVAIL') {
    return `Cannot listen on ${address}: no network interface of this machine has that address (HOST).`;
  }
  if (code === 'EACCES' && port !== undefined) {
    return `Not allowed to listen on port ${port} on ${address}: choose a PORT above 1023, or give the process the right to.`;
  }
  return error;
}

/**
 * `listen` with a host name looks it up first: a lookup that fails there is HOST's, in one
 * line that says so. Only the caller of `listen` knows that: a lookup of the database's or
 * the broker's host name fails with the same error, elsewhere, and is not HOST's to fix.
 */
export async function listening<T>(host: string, listen: () => Promise<T>): Promise<T> {
  try {
    return await listen();
  } catch (error) {
    const { code, syscall } = error as { code?: string; syscall?: string };
    if (syscall !== 'getaddrinfo') throw error;
    const what = HOST_LOOKUP_FAILURES[code ?? ''];
    if (what === undefined) throw error;
    throw new StartupError(
      `Cannot listen on ${host}: ${what} for that host name (HOST): set HOST to an address of this machine, or 0.0.0.0 for all.`,
      error,
    );
  }
}

const HOST_LOOKUP_FAILURES: Record<string, string> = {
  ENOTFOUND: 'no address is known',
  EAI_AGAIN: 'the name server did not answer',
};
