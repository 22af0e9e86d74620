import { Histogram, Registry } from 'prom-client';
import { describe, expect, test } from 'vitest';
import { BoundHistogram } from './bound-histogram.ts';

const options = {
  name: 'request_seconds',
  help: 'Requests.',
  labelNames: ['method', 'status'] as const,
  buckets: [0.01, 0.1, 1],
};

/** The exposition's lines, each with its labels in one order (Prometheus reads either). */
async function lines(registry: Registry): Promise<string[]> {
  const text = await registry.metrics();
  return text
    .trim()
    .split('\n')
    .map((line) =>
      line.replace(/\{(.*)\}/, (_, labels: string) => `{${labels.split(',').sort().join(',')}}`),
    )
    .sort();
}

describe('a histogram whose label sets are bound once', () => {
  test("writes what prom-client's own histogram writes for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const bound = new BoundHistogram({ ...options, registers: [ours] });
    const reference = new Histogram({ ...options, registers: [theirs] });
    const observations: [{ method: string; status: number }, number][] = [
      [{ method: 'GET', status: 200 }, 0.004],
      [{ method: 'GET', status: 200 }, 0.01], // on a bound: in that bucket (le is "less or equal")
      [{ method: 'GET', status: 200 }, 0.5],
      [{ method: 'GET', status: 200 }, 7], // past every bound: +Inf only
      [{ method: 'POST', status: 201 }, 0.05],
    ];

    for (const [labels, value] of observations) {
      bound.series(labels)(value);
      reference.observe(labels, value);
    }

    expect(await lines(ours)).toEqual(await lines(theirs));
    expect(await lines(ours)).toContain(
      'request_seconds_bucket{le="0.01",method="GET",status="200"} 2',
    );
  });

  test('an observer kept from before a reset goes on counting', async () => {
    const registry = new Registry();
    const histogram = new BoundHistogram({ ...options, registers: [registry] });
    const observe = histogram.series({ method: 'GET', status: 200 });
    observe(0.2);

    registry.resetMetrics();
    observe(0.3);

    expect(await lines(registry)).toContain('request_seconds_count{method="GET",status="200"} 1');
    expect(await lines(registry)).toContain('request_seconds_sum{method="GET",status="200"} 0.3');
  });

  test('the same label values give the same series, whichever object carries them', async () => {
    const registry = new Registry();
    const histogram = new BoundHistogram({ ...options, registers: [registry] });

    histogram.series({ method: 'GET', status: 200 })(0.2);
    histogram.series({ status: 200, method: 'GET' })(0.3);

    expect(await lines(registry)).toContain('request_seconds_count{method="GET",status="200"} 2');
  });
});
