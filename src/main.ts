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
const { startupFailure } = await import('./startup-failure.ts');

/** Starts the HTTP service; stops gracefully on SIGTERM or SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const { http, metricsServer } = await buildApp(config);
  if (config.jwtSecretWarning) http.log.warn(config.jwtSecretWarning);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    http.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      http.log.error(
        'shutting down took over 10 s (requests still running, or a dependency that does not answer): exiting anyway',
      );
      process.exit(1);
    }, 10_000);
    deadline.unref();
    // Stops accepting connections, waits for in-flight requests, then closes the database.
    try {
      await http.close();
    } catch (error) {
      http.log.error({ cause: (error as Error).message }, 'shutting down failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  const address = await http.listen({ port: config.port, host: config.host });
  http.log.info(`Docs: ${address}/docs`);
  if (metricsServer) {
    const port = config.telemetry.metricsPort;
    const metrics = await metricsServer.listen({ port, host: config.host });
    http.log.info(`Metrics: ${metrics}/metrics`);
  }
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
