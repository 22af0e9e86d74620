import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

/** Starts the HTTP service; stops gracefully on SIGTERM or SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  const { http } = await buildApp(config);
  if (config.jwtSecretWarning) http.log.warn(config.jwtSecretWarning);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    http.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      http.log.error('in-flight requests did not finish within 10 s: exiting anyway');
      process.exit(1);
    }, 10_000);
    deadline.unref();
    // Stops accepting connections, waits for in-flight requests, then closes the database.
    await http.close();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  await http.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
