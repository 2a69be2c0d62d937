import { parseScenario } from '../scenario/load.js';
import type { ShrinkSize } from './shrink.js';
import { shrinkScenario } from './shrink.js';

/** A shrink job as it crosses to a worker thread: scenario text, not objects. */
export interface ShrinkRequest {
  readonly file: string;
  readonly text: string;
  readonly invariant: string;
  readonly variant?: string;
}

export type ShrinkReply =
  | {
      readonly ok: true;
      readonly yaml: string;
      readonly before: ShrinkSize;
      readonly after: ShrinkSize;
      readonly runs: number;
      readonly wallMs: number;
    }
  | { readonly ok: false; readonly why: string };

export function shrinkTask(request: ShrinkRequest): ShrinkReply {
  try {
    const scenario = parseScenario(request.text, request.file);
    const result = shrinkScenario(scenario, {
      invariant: request.invariant,
      ...(request.variant !== undefined ? { variant: request.variant } : {}),
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
    };
  } catch (error) {
    return { ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}
