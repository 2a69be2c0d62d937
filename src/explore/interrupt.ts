/** Signals a campaign treats as Ctrl-C: stop politely, print the summary, keep every file. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** The shell's convention: 128 + the signal's number (SIGHUP 1, SIGINT 2, SIGTERM 15). */
export const SIGNAL_EXIT: Readonly<Record<StopSignal, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

export interface Interrupted<T> {
  readonly result: T;
  /** The first stop signal that came, or null when the job ran to its end. */
  readonly signal: StopSignal | null;
}

/** How often a campaign looks whether its launcher is still there (see withInterrupt). */
const PARENT_POLL_MS = 500;

/**
 * Runs a long job with Ctrl-C, SIGTERM and SIGHUP turned into a polite request: the first one
 * sets a flag the job polls (it then stops, prints what it has and keeps what it wrote); a second
 * one exits at once with 128 + its number. A launcher that dies without passing the signal on
 * (`npx`, whose `npm exec` does not forward SIGTERM to the shell it started) counts as a SIGHUP,
 * so the campaign never runs on as an orphan.
 */
export async function withInterrupt<T>(
  job: (interrupted: () => boolean) => Promise<T>,
): Promise<Interrupted<T>> {
  let signal: StopSignal | null = null;
  const handlers = STOP_SIGNALS.map((name) => {
    const handler = (): void => {
      if (signal !== null) process.exit(SIGNAL_EXIT[name]);
      signal = name;
      process.stderr.write(
        `\nclustersim: ${name === 'SIGINT' ? 'interrupted' : `${name} received`}; finishing the work in hand (Ctrl-C again to quit at once)\n`,
      );
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  const parent = process.ppid;
  const hangUp = handlers.find(([name]) => name === 'SIGHUP')?.[1];
  const orphanWatch = setInterval(() => {
    if (process.ppid !== parent && signal === null) hangUp?.();
  }, PARENT_POLL_MS).unref();
  try {
    const result = await job(() => signal !== null);
    return { result, signal };
  } finally {
    clearInterval(orphanWatch);
    for (const [name, handler] of handlers) process.off(name, handler);
  }
}
