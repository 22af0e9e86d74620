import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { listening } from './startup-failure.ts';

/** How long a process waits for the work under way before it exits anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * On SIGTERM or SIGINT, once: closes `http`, which stops taking work, lets what is under way
 * finish (the requests in flight; the message handlers running, their deliveries then
 * acknowledged) and closes the database; then exits 0. A close that fails, or that takes
 * over 10 s, exits 1; so does a second signal, at once. `work` names what is waited for in
 * the log lines ("in-flight requests").
 */
export function exitGracefullyOnSignals(
  http: FastifyInstance,
  work: string,
  beforeExit: () => void = () => {},
): void {
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      // Ctrl-C twice: whoever sent it does not want to wait.
      http.log.warn({ signal }, `a second signal: exiting without waiting for the ${work}`);
      process.exit(1);
    }
    closing = true;
    http.log.info({ signal }, `shutting down: finishing the ${work}`);
    const deadline = setTimeout(() => {
      http.log.error(
        `shutting down took over ${SHUTDOWN_DEADLINE_MS / 1000} s (${work} still running, or a dependency that does not answer): exiting anyway`,
      );
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    try {
      await http.close();
    } catch (error) {
      http.log.error({ cause: (error as Error).message }, 'shutting down failed');
      process.exit(1);
    }
    beforeExit();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/** Serves `/metrics` on METRICS_PORT when the metrics have a server of their own. */
export async function listenForMetrics(
  http: FastifyInstance,
  metricsServer: FastifyInstance | undefined,
  config: Config,
): Promise<void> {
  if (!metricsServer) return;
  const address = await listening(config.host, () =>
    metricsServer.listen({ port: config.telemetry.metricsPort, host: config.host }),
  );
  http.log.info(`Metrics: ${address}/metrics`);
}
