/** How a `connect` picks its MonotonicClock (CONTRACT §5). */
export type ClockChoice = number | 'same' | 'lower' | 'next';

/**
 * The operator machines' clocks as the scenario drives them: the MonotonicClock each process
 * last sent (for `same` and `lower`), and the clock a `connect` asked of a process that was
 * down, which it takes when it starts. A machine's clock outlives its process, so this is no
 * actor's state; only the operator processes read it, to pick a clock.
 */
export class DialClocks {
  private readonly last = new Map<string, number>();
  private readonly pending = new Map<string, ClockChoice>();

  lastSent(node: string): number | undefined {
    return this.last.get(node);
  }

  sent(node: string, clock: number): void {
    this.last.set(node, clock);
  }

  /** A `connect` to a process that is down: it dials with this clock when it starts. */
  askOnStart(node: string, clock: ClockChoice): void {
    this.pending.set(node, clock);
  }

  /** The clock asked of this process on its start, once. */
  takeOnStart(node: string): ClockChoice | undefined {
    const clock = this.pending.get(node);
    this.pending.delete(node);
    return clock;
  }
}
