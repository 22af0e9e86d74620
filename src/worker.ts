import { enableCompileCache } from 'node:module';

// As in main.ts: the compiled modules are cached on disk, hence the dynamic imports.
enableCompileCache();
const { buildApp } = await import('./app.ts');
const { loadConfig } = await import('./config.ts');
const { startupFailure } = await import('./startup-failure.ts');

/**
 * `npm run worker`: a process that delivers messages and serves no HTTP (ADR 16). It polls the
 * outboxes and, with BROKER_URL, consumes the contexts' RabbitMQ queues; run as many as the
 * load needs. SIGTERM or SIGINT: it takes no new message, lets the handlers under way finish
 * (their deliveries acknowledged), disconnects and exits.
 */
async function worker(): Promise<void> {
  const config = loadConfig();
  const { http, metricsServer } = await buildApp(config, {}, 'worker');
  // The relay's poll timer does not hold a process open (an API process lives as long as its
  // server does); here, delivering is all there is, so the process lives until a signal.
  const alive = setInterval(() => {}, 60_000);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    http.log.info({ signal }, 'worker shutting down: finishing the deliveries under way');
    const deadline = setTimeout(() => {
      http.log.error(
        'shutting down took over 10 s (deliveries still running, or a dependency that does not answer): exiting anyway',
      );
      process.exit(1);
    }, 10_000);
    deadline.unref();
    try {
      await http.close();
    } catch (error) {
      http.log.error({ cause: (error as Error).message }, 'shutting down failed');
      process.exit(1);
    }
    clearInterval(alive);
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // Its metrics (outbox backlog, handler failures, ...) only on METRICS_PORT: it has no other port.
  if (metricsServer) {
    const port = config.telemetry.metricsPort;
    const metrics = await metricsServer.listen({ port, host: config.host });
    http.log.info(`Metrics: ${metrics}/metrics`);
  }
  http.log.info(
    { broker: config.broker ? 'RabbitMQ' : 'none: handlers run in this process' },
    'worker started',
  );
}

worker().catch((error: unknown) => {
  console.error(startupFailure(error));
  process.exit(1);
});
