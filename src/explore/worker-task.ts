import type { MeasureOutcome } from './measure.js';
import { measureSeed } from './measure.js';
import type { CampaignSpec, FuzzOutcome } from './seed-run.js';
import { fuzzSeed } from './seed-run.js';
import type { ShrinkReply, ShrinkRequest } from './shrink-task.js';
import { shrinkTask } from './shrink-task.js';

/** Work a pool worker (or the main thread, with one worker) does for a campaign. */
export type WorkerTask =
  | {
      readonly kind: 'fuzz';
      readonly seeds: readonly number[];
      /** Wall-clock time (epoch ms) after which no further seed starts (`--time-limit`). */
      readonly deadlineMs?: number;
    }
  | { readonly kind: 'measure'; readonly variant: string; readonly seeds: readonly number[] }
  | { readonly kind: 'shrink'; readonly request: ShrinkRequest };

export type WorkerReply =
  | { readonly kind: 'fuzz'; readonly outcomes: FuzzOutcome[] }
  | { readonly kind: 'measure'; readonly outcomes: MeasureOutcome[] }
  | { readonly kind: 'shrink'; readonly reply: ShrinkReply };

/** The same function runs in workers and in-process, so results never depend on `--workers`. */
export function runWorkerTask(spec: CampaignSpec, task: WorkerTask): WorkerReply {
  switch (task.kind) {
    case 'fuzz': {
      const outcomes: FuzzOutcome[] = [];
      for (const seed of task.seeds) {
        // Wall time decides only where the campaign ends, never a seed's outcome.
        if (task.deadlineMs !== undefined && Date.now() >= task.deadlineMs) break;
        outcomes.push(fuzzSeed(spec, seed));
      }
      return { kind: 'fuzz', outcomes };
    }
    case 'measure': {
      const variantSpec: CampaignSpec = { ...spec, variant: task.variant };
      return { kind: 'measure', outcomes: task.seeds.map((seed) => measureSeed(variantSpec, seed)) };
    }
    case 'shrink':
      return { kind: 'shrink', reply: shrinkTask(task.request) };
  }
}
