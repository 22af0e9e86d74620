import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The process's own figures, each read when `/metrics` is scraped and at no other time:
 * CPU, memory, start time and event-loop lag, under the names prom-client's defaults use.
 * (Those defaults watch the process all the time: a histogram fed on every turn of the event
 * loop and an observer of every garbage collection cost a sixth of the CPU of a small GET.)
 */
export function registerProcessMetrics(registry: Registry): void {
  const registers = [registry];

  // Counters of the CPU time since the process started (process.cpuUsage() gives µs).
  const cpuCounter = (name: string, help: string, of: (usage: NodeJS.CpuUsage) => number) => {
    let counted = 0;
    return new Counter({
      name,
      help,
      registers,
      collect() {
        const total = of(process.cpuUsage()) / 1e6;
        this.inc(total - counted);
        counted = total;
      },
    });
  };
  cpuCounter('process_cpu_user_seconds_total', 'User CPU time spent, in seconds.', (u) => u.user);
  cpuCounter(
    'process_cpu_system_seconds_total',
    'System CPU time spent, in seconds.',
    (u) => u.system,
  );

  const gauge = (name: string, help: string, read: () => number | Promise<number>) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        this.set(await read());
      },
    });
  const startTime = Math.round(Date.now() / 1000 - process.uptime());
  gauge(
    'process_start_time_seconds',
    'Start time of the process since the Unix epoch, in seconds.',
    () => startTime,
  );
  gauge('process_resident_memory_bytes', 'Resident memory size, in bytes.', () =>
    process.memoryUsage.rss(),
  );
  gauge(
    'nodejs_heap_size_total_bytes',
    'Heap size of Node.js, in bytes.',
    () => process.memoryUsage().heapTotal,
  );
  gauge(
    'nodejs_heap_size_used_bytes',
    'Heap used by Node.js, in bytes.',
    () => process.memoryUsage().heapUsed,
  );
  gauge(
    'nodejs_external_memory_bytes',
    'External memory of Node.js, in bytes.',
    () => process.memoryUsage().external,
  );
  gauge(
    'nodejs_eventloop_lag_seconds',
    'How long a callback queued now waits for the event loop, in seconds.',
    eventLoopLag,
  );
}

/** From queueing a callback to its running: what any request waits on top of its own work. */
function eventLoopLag(): Promise<number> {
  const queued = process.hrtime.bigint();
  return new Promise((resolve) => {
    setImmediate(() => resolve(Number(process.hrtime.bigint() - queued) / 1e9));
  });
}
