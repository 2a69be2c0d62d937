/**
 * Worker identity (`WorkerId` upstream: jobCluster, jobId, index, number). A resubmission keeps
 * the index and gets a new, job-wide unique number; `attempt` only makes labels readable.
 */
export interface WorkerId {
  readonly jobId: string;
  /** Job cluster name (upstream `jobCluster`), the first routing hop's key. */
  readonly cluster: string;
  /** 1-based stage number; stage k+1 reads from stage k. */
  readonly stage: number;
  readonly index: number;
  /** Job-wide unique (upstream `workerNumberToStageMap` key). */
  readonly number: number;
  /** 1 for the first worker of this (stage, index), 2 for its first replacement, … */
  readonly attempt: number;
}

/** `A-1-0` is job A, stage 1, index 0; replacements get primes like the spec's A-w1': `A-1-0'`. */
export function workerLabel(w: WorkerId): string {
  const base = `${w.jobId}-${w.stage}-${w.index}`;
  if (w.attempt <= 1) return base;
  if (w.attempt <= 3) return base + "'".repeat(w.attempt - 1);
  return `${base}#${w.attempt}`;
}

/** Unique key of a worker (job + number). */
export function workerKey(w: WorkerId): string {
  return `${w.jobId}#${w.number}`;
}

/** Key of a worker slot (job, stage, index): at most one live copy each (S3). */
export function slotKey(w: WorkerId): string {
  return `${w.jobId}/${w.stage}/${w.index}`;
}

export function sameWorker(a: WorkerId | null | undefined, b: WorkerId | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return a.jobId === b.jobId && a.number === b.number;
}

/** The observable name a stage-(s+1) consumer subscribes with: `"<jobId>_<prevStage>"`. */
export function observableName(jobId: string, stage: number): string {
  return `${jobId}_${stage}`;
}
