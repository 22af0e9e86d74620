import { enableCompileCache } from 'node:module';

// Loading the service's modules is most of its start-up. Node keeps their compiled code
// (TypeScript already stripped) in a cache on disk, so every start after the first skips
// compiling. `npm start` sets NODE_COMPILE_CACHE, which covers this file too (and so never
// loads the TypeScript stripper when nothing changed: ~120 ms); started another way, the
// cache is enabled here, in the system's temporary directory, for the modules imported from
// here on: hence the dynamic imports.
enableCompileCache();
const { buildApp } = await import('./app.ts');
const { loadConfig } = await import('./config.ts');
const { listening, startupFailure } = await import('./startup-failure.ts');
const { exitGracefullyOnSignals, listenForMetrics } = await import('./process-lifecycle.ts');

/** Starts the HTTP service; stops gracefully on SIGTERM or SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const { http, metricsServer } = await buildApp(config);
  if (config.jwtSecretWarning) http.log.warn(config.jwtSecretWarning);

  // Stops accepting connections, waits for in-flight requests, then closes the database.
  exitGracefullyOnSignals(http, 'in-flight requests');

  const address = await listening(config.host, () =>
    http.listen({ port: config.port, host: config.host }),
  );
  http.log.info(`Docs: ${address}/docs`);
  await listenForMetrics(http, metricsServer, config);
  const { tracing } = config.telemetry;
  if (tracing?.exporters.includes('otlp')) {
    http.log.info({ protocol: tracing.protocol }, 'Tracing: spans are exported over OTLP');
  }
  if (tracing?.exporters.includes('console')) {
    http.log.info('Tracing: spans are written to standard output');
  }
}

main().catch((error: unknown) => {
  console.error(startupFailure(error));
  process.exit(1);
});
