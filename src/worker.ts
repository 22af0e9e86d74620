import { enableCompileCache } from 'node:module';

// As in main.ts: the compiled modules are cached on disk, hence the dynamic imports.
enableCompileCache();
const { buildApp } = await import('./app.ts');
const { loadConfig } = await import('./config.ts');
const { startupFailure } = await import('./startup-failure.ts');
const { exitGracefullyOnSignals, listenForMetrics } = await import('./process-lifecycle.ts');

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
  exitGracefullyOnSignals(http, 'deliveries under way', () => clearInterval(alive));
  // Its metrics (outbox backlog, handler failures, ...) only on METRICS_PORT: it has no other port.
  await listenForMetrics(http, metricsServer, config);
  http.log.info(
    { broker: config.broker ? 'RabbitMQ' : 'none: handlers run in this process' },
    'worker started',
  );
}

worker().catch((error: unknown) => {
  console.error(startupFailure(error));
  process.exit(1);
});
