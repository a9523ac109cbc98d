/**
 * The JSON line a (workload, store) run prints, and how a line is held to its workload's targets.
 */
import { round, significant } from './measure.js';
import type { BenchTarget, ResultValue, Workload, WorkloadResult, WorkloadTarget } from './types.js';

/** One stdout line: the fixed fields first, in the documented order, then extras. */
export type ResultLine = Readonly<Record<string, ResultValue>> & {
  readonly workload: string;
  readonly store: string;
};

/** Builds the JSON line of one run. `ratio = per_sec / baseline_per_sec`. */
export function toResultLine(
  workload: Workload,
  target: BenchTarget,
  result: WorkloadResult,
  quick: boolean,
): ResultLine {
  const perSec = result.store.n / result.store.seconds;
  const baselinePerSec = result.baseline.n / result.baseline.seconds;
  return {
    workload: workload.name,
    store: target.store,
    n: result.store.n,
    seconds: round(result.store.seconds, 3),
    per_sec: significant(perSec),
    p50_ms: significant(result.store.p50Ms),
    p99_ms: significant(result.store.p99Ms),
    baseline: result.baselineLabel,
    baseline_per_sec: significant(baselinePerSec),
    ratio: round(perSec / baselinePerSec, 2),
    peak_rss_mb: result.peakRssMb,
    latency_unit: workload.unit,
    baseline_seconds: round(result.baseline.seconds, 3),
    baseline_p50_ms: significant(result.baseline.p50Ms),
    baseline_p99_ms: significant(result.baseline.p99Ms),
    ...cpuFields(result),
    ...target.info,
    ...result.extra,
    max_rss_mb: round(process.resourceUsage().maxRSS / 1024, 1),
    ...(quick ? { quick: true } : {}),
  };
}

/** This process's CPU time per counted unit, store and baseline, in microseconds (when measured). */
function cpuFields(result: WorkloadResult): Record<string, ResultValue> {
  const { store, baseline } = result;
  if (store.cpuMicros === undefined || baseline.cpuMicros === undefined) return {};
  return {
    cpu_us_per_op: significant(store.cpuMicros / store.n),
    baseline_cpu_us_per_op: significant(baseline.cpuMicros / baseline.n),
  };
}

/** A failed run still prints a line, so a reader of stdout sees every (workload, store) pair. */
export function errorLine(workload: string, store: string, message: string): ResultLine {
  return { workload, store, error: message };
}

/** The verdict on one target. */
export interface TargetCheck {
  readonly description: string;
  readonly actual: number | undefined;
  readonly met: boolean;
}

/** Holds a line to a workload's targets for its store; a target without a threshold for the store is skipped. */
export function checkTargets(workload: Workload, line: ResultLine): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const target of workload.targets) {
    const threshold = target.value[line.store as keyof WorkloadTarget['value']];
    if (threshold === undefined) continue;
    const value = line[target.field];
    const actual = typeof value === 'number' ? value : undefined;
    const met = actual !== undefined && (target.op === '>=' ? actual >= threshold : actual < threshold);
    const symbol = target.op === '>=' ? '≥' : '<';
    checks.push({ description: `${target.field} ${symbol} ${threshold}`, actual, met });
  }
  return checks;
}
