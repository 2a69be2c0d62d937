import { parseScenario, ScenarioError } from '../scenario/load.js';
import { describeError } from './seed-run.js';
import type { ShrinkOptions, ShrinkSize } from './shrink.js';
import { shrinkScenario } from './shrink.js';
import { signatureOf } from './signature.js';

/** A shrink job as it crosses to a worker thread: scenario text, not objects. */
export interface ShrinkRequest {
  readonly file: string;
  readonly text: string;
  readonly invariant: string;
  /**
   * The finding's cause (its why's signature): a candidate must fail the same way, not merely
   * violate the same invariant, which also lets a liveness finding's run be cut short.
   */
  readonly signature?: string;
  readonly variant?: string;
  /** Wall-clock time (epoch ms) past which the shrink stops and keeps what it has. */
  readonly deadlineMs?: number;
}

export type ShrinkReply =
  | {
      readonly ok: true;
      readonly yaml: string;
      readonly before: ShrinkSize;
      readonly after: ShrinkSize;
      readonly runs: number;
      readonly wallMs: number;
      /** The deadline cut the shrink short: smaller, maybe not minimal. */
      readonly cut: boolean;
    }
  | {
      readonly ok: false;
      readonly why: string;
      /** A clustersim bug (not bad input, not a scenario that stopped failing). */
      readonly internal?: boolean;
    };

/** Shrink options that keep a candidate only when its why has the finding's signature. */
function sameCause(
  invariant: string,
  signature: string,
): Pick<ShrinkOptions, 'sameFailure' | 'sameFailureRun'> {
  return {
    sameFailure: (result) =>
      (result.why ?? []).some((e) => e.invariant === invariant && signatureOf(e) === signature),
    sameFailureRun: { explain: true, captureLimit: SHRINK_CAPTURE_LIMIT },
  };
}

/** Records a shrink candidate keeps for its why (a fuzz repro is small; past it, why re-runs). */
const SHRINK_CAPTURE_LIMIT = 200_000;

export function shrinkTask(request: ShrinkRequest): ShrinkReply {
  try {
    const scenario = parseScenario(request.text, request.file);
    const result = shrinkScenario(scenario, {
      invariant: request.invariant,
      ...(request.variant !== undefined ? { variant: request.variant } : {}),
      ...(request.deadlineMs !== undefined ? { deadlineMs: request.deadlineMs } : {}),
      ...(request.signature !== undefined ? sameCause(request.invariant, request.signature) : {}),
    });
    if (result.status !== 'shrunk')
      return { ok: false, why: `${request.file} does not violate ${request.invariant}` };
    return {
      ok: true,
      yaml: result.yaml,
      before: result.before,
      after: result.after,
      runs: result.runs,
      wallMs: result.wallMs,
      cut: result.cut,
    };
  } catch (error) {
    // A repro fuzz just wrote that no longer loads is bad input only in the ScenarioError sense;
    // anything else is a clustersim bug and must reach the campaign's errors (exit 70).
    if (error instanceof ScenarioError) return { ok: false, why: error.message };
    return { ok: false, why: describeError(error), internal: true };
  }
}
