import { once } from 'node:events';
import { createServer } from 'node:http';

/**
 * A local OTLP/HTTP receiver that accepts every export and keeps nothing: the service with
 * tracing on pays for making, batching and sending its spans, and the benchmark measures
 * that, not a collector.
 */
export async function noOpOtlpReceiver(): Promise<{ url: string; close(): void }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
