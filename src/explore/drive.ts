/**
 * Runs seeds in batches on an executor and hands outcomes back IN SEED ORDER, whatever order the
 * workers finish in: that is what makes a campaign's findings the same for any `--workers`.
 */
export interface DriveOptions<O> {
  readonly seeds: readonly number[];
  readonly batchSize: number;
  /** Batches in flight at once (2 per worker keeps every worker busy). */
  readonly inFlight: number;
  exec(batch: readonly number[]): Promise<O[]>;
  /** Called in seed order; return true to stop (stop-on-first). */
  onOutcome(outcome: O): boolean;
  /** Polled between batches: a reason to stop now (`interrupted`, `time-limit`), or null. */
  stopRequested(): string | null;
}

export interface DriveResult {
  /** Seeds whose outcome was handed to onOutcome: always a prefix of `seeds`. */
  readonly done: number;
  /** Why the run ended early, or null when every seed ran. */
  readonly stopped: string | null;
}

export async function driveSeeds<O>(options: DriveOptions<O>): Promise<DriveResult> {
  const batches: number[][] = [];
  for (let i = 0; i < options.seeds.length; i += options.batchSize)
    batches.push(options.seeds.slice(i, i + options.batchSize));
  const finished = new Map<number, O[]>();
  const inFlight = new Map<number, Promise<void>>();
  let failure: unknown = null;
  let nextBatch = 0;
  let committed = 0;
  let done = 0;
  let stopped: string | null = null;

  const dispatch = (index: number): void => {
    const promise = options
      .exec(batches[index] as number[])
      .then((outcomes) => void finished.set(index, outcomes))
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(index));
    inFlight.set(index, promise);
  };

  while (stopped === null) {
    stopped = options.stopRequested();
    if (stopped !== null) break;
    while (inFlight.size < options.inFlight && nextBatch < batches.length) dispatch(nextBatch++);
    if (inFlight.size === 0) break;
    await Promise.race(inFlight.values());
    if (failure !== null) throw failure;
    while (stopped === null && finished.has(committed)) {
      const outcomes = finished.get(committed) as O[];
      for (const outcome of outcomes) {
        done++;
        if (options.onOutcome(outcome)) {
          stopped = 'stop-on-first';
          break;
        }
      }
      // A batch cut short (its deadline passed, see WorkerTask) ends the campaign: the seeds
      // handed over stay a prefix.
      if (stopped === null && outcomes.length < (batches[committed] as number[]).length)
        stopped = options.stopRequested() ?? 'time-limit';
      finished.delete(committed);
      committed++;
    }
  }
  // Batches still running are abandoned; the caller closes the executor.
  return { done, stopped };
}
