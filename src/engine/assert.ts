/** A bug in clustersim itself (engine or model), never a finding about the system under test. */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function assert(condition: boolean, message: string, facts?: object): asserts condition {
  if (condition) return;
  const suffix = facts === undefined ? '' : ` ${JSON.stringify(facts)}`;
  throw new AssertionError(`assertion failed: ${message}${suffix}`);
}

/**
 * The failing half of `assert`, for hot paths: `if (!(x >= 0)) fail('x >= 0', { x })` builds the
 * facts object only when the check fails (`assert(cond, msg, { ... })` builds it on every call).
 */
export function fail(message: string, facts?: object): never {
  const suffix = facts === undefined ? '' : ` ${JSON.stringify(facts)}`;
  throw new AssertionError(`assertion failed: ${message}${suffix}`);
}

export function assertNever(value: never): never {
  throw new AssertionError(`unhandled variant: ${JSON.stringify(value)}`);
}

/** A simulation limit (events or simulated time) was hit: the run cannot say anything past it. */
export class LimitError extends Error {
  override name = 'LimitError';
  /** Which limit: the event budget or the pending-event bound. */
  readonly limit: 'events' | 'pending-events';

  constructor(message: string, limit: 'events' | 'pending-events' = 'events') {
    super(message);
    this.limit = limit;
  }
}
