import type { Note } from '../engine/index.js';

/**
 * What a system knows about explaining its violations (issue #16): which earlier facts a noted
 * step read (causality the engine cannot see: state written by one handler and read by another),
 * which steps are routine, and how to word a step. The chain walker itself (src/run/why.ts) is
 * generic.
 */
export interface WhyModel {
  /**
   * Per note category, the facts a step of that category rests on besides its direct cause: the
   * latest earlier note of `category` whose `entity` has the same value as this note's `entity`
   * (e.g. an assignment to TE-1 rests on the last `pool` note for TE-1).
   */
  readonly rests?: Readonly<
    Record<string, readonly { readonly category: string; readonly entity: string }[]>
  >;
  /**
   * Per invariant, the entities whose latest note starts the walk when no event fired the
   * violation (a liveness one); without it, every entity of the violation.
   */
  readonly anchors?: Readonly<Record<string, readonly string[]>>;
  /** Note categories never worth a line of their own (folded like unnoted steps). */
  readonly quiet?: readonly string[];
  /**
   * Message or timer types of periodic routine, by the plural a fold of them shows
   * (`heartbeat: 'heartbeats'` gives `… 6 heartbeats …`).
   */
  readonly routine?: Readonly<Record<string, string>>;
  /**
   * The words for a note on a chain under `variant` (e.g. naming the variant's decisive step:
   * `TE-1 is in the available pool (as-is: no mismatch check)`); undefined keeps the note's text.
   */
  say?(note: Note, variant: string): string | undefined;
}
