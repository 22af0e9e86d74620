import { mkdirSync, writeFileSync } from 'node:fs';
import type { LoadResult } from './load.ts';

export interface Row {
  workload: string;
  service: LoadResult;
  baseline?: LoadResult;
  /** What the ratio is measured against when it is not the baseline. */
  ratio?: { value: number; against: string; target: number };
}

export interface Check {
  what: string;
  value: string;
  target: string;
  pass: boolean;
}

export interface Report {
  date: string;
  database: string;
  seconds: number;
  rows: Row[];
  checks: Check[];
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const cell = (r: LoadResult | undefined) =>
  r
    ? [
        fmt(r.requestsPerSecond),
        `${r.p50}`,
        `${r.p99}`,
        `${r.errors + r.non2xx}`,
        r.cpuMicrosPerRequest === undefined ? '' : fmt(r.cpuMicrosPerRequest),
      ]
    : ['', '', '', '', ''];

export function toMarkdown(report: Report): string {
  const lines = [
    `Benchmark of ${report.date}, ${report.database}, ${report.seconds} s per workload, 50 connections.`,
    '',
    '| workload | service req/s | p50 ms | p99 ms | errors | CPU µs/req | baseline req/s | p50 ms | p99 ms | errors | CPU µs/req | ratio | target |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of report.rows) {
    const ratio = row.ratio ? `${row.ratio.value.toFixed(2)} (${row.ratio.against})` : '';
    const target = row.ratio ? `≥ ${row.ratio.target}` : '';
    lines.push(
      `| ${row.workload} | ${cell(row.service).join(' | ')} | ${cell(row.baseline).join(' | ')} | ${ratio} | ${target} |`,
    );
  }
  lines.push('', '| check | measured | target | |', '|---|---|---|---|');
  for (const check of report.checks) {
    lines.push(
      `| ${check.what} | ${check.value} | ${check.target} | ${check.pass ? 'PASS' : 'MISS'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `<name>.json` and `<name>.md` into `directory`. */
export function writeReport(report: Report, directory: URL, name: string): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(new URL(`${name}.json`, directory), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(new URL(`${name}.md`, directory), toMarkdown(report));
}
