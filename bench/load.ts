import autocannon from 'autocannon';
import { cpuSeconds } from './processes.ts';

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /** CPU time the server used per request (user + system, all its threads), when its pid is known. */
  cpuMicrosPerRequest?: number;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  /** Paths to cycle through, one per request. */
  paths: string[];
  body?: unknown;
  token?: string;
  /** The server's process, to measure the CPU it spends per request. */
  pid?: number;
  connections?: number;
  seconds: number;
}

/** Drives one workload with autocannon and returns its figures. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const cpuBefore = options.pid === undefined ? 0 : cpuSeconds(options.pid);
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 50,
    duration: options.seconds,
    requests: [
      {
        method: options.method ?? 'GET',
        headers,
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
        setupRequest: (request) => {
          request.path = options.paths[next++ % options.paths.length] as string;
          return request;
        },
      },
    ],
  });
  return {
    // From the total, not the mean of whole-second samples: a round may last under 2 s.
    requestsPerSecond: result.requests.total / Math.max(0.001, result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
    ...(options.pid !== undefined && {
      cpuMicrosPerRequest:
        ((cpuSeconds(options.pid) - cpuBefore) * 1e6) / Math.max(1, result.requests.total),
    }),
  };
}
