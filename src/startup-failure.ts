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
  const { code, port, address, syscall, hostname } = error as {
    code?: string;
    port?: number;
    address?: string;
    syscall?: string;
    hostname?: string;
  };
  if (code === 'EADDRINUSE') {
    return `Port ${port} on ${address} is already in use (another instance?): stop it, or choose another PORT (METRICS_PORT for the metrics).`;
  }
  if (code === 'EADDRNOTAVAIL') {
    return `Cannot listen on ${address}: no network interface of this machine has that address (HOST).`;
  }
  // Listening on a host name looks it up first. The other names looked up at start-up (the
  // database's, Redis's, the broker's) are waited for or reported in a line of their own, so
  // a lookup that fails here is HOST's.
  if (code === 'ENOTFOUND' && syscall === 'getaddrinfo') {
    return `Cannot listen on ${hostname}: no address is known for that host name (HOST): set HOST to an address of this machine, or 0.0.0.0 for all.`;
  }
  if (code === 'EAI_AGAIN' && syscall === 'getaddrinfo') {
    return `Cannot listen on ${hostname}: the name server did not answer for that host name (HOST): set HOST to an address of this machine, or 0.0.0.0 for all.`;
  }
  if (code === 'EACCES' && port !== undefined) {
    return `Not allowed to listen on port ${port} on ${address}: choose a PORT above 1023, or give the process the right to.`;
  }
  return error;
}
