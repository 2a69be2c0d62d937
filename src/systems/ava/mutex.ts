import { assert } from '../../engine/index.js';

/**
 * A Go `sync.Mutex` as the model needs it. Every code block between lock operations is atomic
 * (specs/ava.md §1.1), so a lock is only ever held across events when its holder parked for
 * good: a goroutine that locks a mutex it already holds (not re-entrant [runtime]) or that one
 * holds. Such a goroutine never runs again, so `lock` throws GoroutineParked and the caller's
 * entry point stops that goroutine.
 */
export class GoroutineParked {
  readonly name = 'GoroutineParked';
  // Not an Error: a park is the model's control flow (thrown at every self-deadlock of PRE and
  // FIXED), so it skips the stack capture an Error costs. It never escapes an entry point.
  constructor(
    readonly mutex: string,
    readonly holder: string,
    readonly selfDeadlock: boolean,
  ) {}

  get message(): string {
    return `${this.mutex} held by ${this.holder}`;
  }

  toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

export class ModelMutex {
  private holder: string | null = null;

  constructor(readonly name: string) {}

  get heldBy(): string | null {
    return this.holder;
  }

  lock(goroutine: string): void {
    if (this.holder === null) {
      this.holder = goroutine;
      return;
    }
    throw new GoroutineParked(this.name, this.holder, this.holder === goroutine);
  }

  /** Only its holder unlocks it (Go: unlocking an unlocked mutex is a fatal error). */
  unlock(goroutine: string): void {
    if (this.holder !== goroutine)
      assert(false, `only the holder unlocks ${this.name}`, { goroutine, holder: this.holder });
    this.holder = null;
  }
}
