import cliProgress from 'cli-progress';

/** What a campaign reports as it goes. */
export interface ProgressSink {
  update(done: number, extra: { readonly findings: Readonly<Record<string, number>> }): void;
  /** A line for the human (repro written, …), printed above the bar while it shows. */
  log(line: string): void;
  stop(): void;
}

export const silentProgress: ProgressSink = {
  update: () => undefined,
  log: () => undefined,
  stop: () => undefined,
};

/** No bar; lines go straight to stderr (pipes, CI logs). */
export const plainProgress: ProgressSink = {
  update: () => undefined,
  log: (line) => void process.stderr.write(`${line}\n`),
  stop: () => undefined,
};

/**
 * A progress bar on stderr, only when stderr is a terminal (never in pipes or CI logs): seeds
 * done, seeds/s, ETA, and findings by invariant. `quiet` drops the log lines too.
 */
export function progressBar(options: {
  readonly total: number;
  readonly label: string;
  readonly enabled: boolean;
  readonly quiet?: boolean;
}): ProgressSink {
  const fallback = options.quiet === true ? silentProgress : plainProgress;
  if (!options.enabled || process.stderr.isTTY !== true || options.total === 0) return fallback;
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: `${options.label} {bar} {value}/{total} seeds | {speed} seeds/s | ETA {eta_formatted} | {findings}`,
      hideCursor: true,
      etaBuffer: 50,
      fps: 10,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const startedMs = Date.now();
  const bar = multi.create(options.total, 0, { speed: '0', findings: 'no findings' });
  let stopped = false;
  return {
    update: (done, extra) => {
      const seconds = (Date.now() - startedMs) / 1000;
      const entries = Object.entries(extra.findings);
      const findings =
        entries.length === 0 ? 'no findings' : entries.map(([inv, n]) => `${inv} ${n}`).join(', ');
      bar.update(done, { speed: seconds > 0 ? (done / seconds).toFixed(0) : '0', findings });
    },
    log: (line) => {
      if (stopped) fallback.log(line);
      else if (options.quiet !== true) multi.log(`${line}\n`);
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}
