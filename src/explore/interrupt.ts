/**
 * Runs a long job with Ctrl-C turned into a polite request: the first SIGINT sets a flag the job
 * polls (it then stops, prints what it has and keeps what it wrote); a second one exits at once.
 */
export async function withInterrupt<T>(job: (interrupted: () => boolean) => Promise<T>): Promise<T> {
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(
      '\nclustersim: interrupted; finishing the seeds in hand (Ctrl-C again to quit at once)\n',
    );
  };
  process.on('SIGINT', onSigint);
  try {
    return await job(() => interrupted);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
