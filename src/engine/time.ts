/**
 * Virtual time. The engine counts integer microseconds so sub-millisecond latencies are exact;
 * scenarios and reports speak milliseconds. 2^53 µs is about 285 years, so a double holds it.
 */
export type Micros = number;

export const US_PER_MS = 1000;
export const US_PER_S = 1_000_000;

export function msToUs(ms: number): Micros {
  return Math.round(ms * US_PER_MS);
}

export function usToMs(us: Micros): number {
  return us / US_PER_MS;
}

/** `t=2m03.250s` style, for timelines: readable and sortable by eye. */
export function formatSimTime(us: Micros): string {
  const totalMs = Math.floor(us / US_PER_MS);
  const minutes = Math.floor(totalMs / 60_000);
  const seconds = (totalMs % 60_000) / 1000;
  const secText = seconds.toFixed(3).padStart(6, '0');
  return minutes > 0 ? `${minutes}m${secText}s` : `${seconds.toFixed(3)}s`;
}
