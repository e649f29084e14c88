// A small load driver: `concurrency` clients send requests back to back for a while, and the
// latencies make requests/s, p50 and p95. Requests are plain async functions, so one driver
// measures HTTP calls to the service and raw pg queries (the floor) alike.
import { performance } from 'node:perf_hooks';

export interface LoadOptions {
  /** Clients sending at once. */
  concurrency?: number;
  /** How long to measure, after the warm-up. */
  seconds?: number;
  warmupSeconds?: number;
  /** Stop after this many measured requests, whatever the time (for slow, heavy requests). */
  maxRequests?: number;
}

export interface LoadResult {
  name: string;
  concurrency: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
}

export async function measure(name: string, request: () => Promise<unknown>, options: LoadOptions = {}): Promise<LoadResult> {
  const { concurrency = 1, seconds = 5, warmupSeconds = 1, maxRequests = Number.POSITIVE_INFINITY } = options;
  const run = async (until: number, latencies?: number[]) => {
    const client = async () => {
      while (performance.now() < until && (latencies?.length ?? 0) < maxRequests) {
        const start = performance.now();
        await request();
        latencies?.push(performance.now() - start);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
  };

  await run(performance.now() + warmupSeconds * 1000);
  const latencies: number[] = [];
  const start = performance.now();
  await run(start + seconds * 1000, latencies);
  const elapsed = (performance.now() - start) / 1000;

  latencies.sort((a, b) => a - b);
  return {
    name,
    concurrency,
    requests: latencies.length,
    requestsPerSecond: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
  };
}

/** The nearest-rank percentile of latencies sorted ascending (NaN for none). */
export function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

/** Results side by side: one row per measurement. */
export function markdownTable(results: LoadResult[]): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const rows = results.map(
    (r) => `| ${r.name} | ${r.concurrency} | ${r.requestsPerSecond.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ${r.requests} |`,
  );
  return ['| measurement | clients | req/s | p50 | p95 | requests |', '|---|---:|---:|---:|---:|---:|', ...rows].join('\n');
}
