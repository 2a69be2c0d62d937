/** Bad usage (unknown flag value, missing file, …): main prints the message and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
