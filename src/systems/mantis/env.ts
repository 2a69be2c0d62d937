import type { MantisConfig } from './config.js';
import type { MantisGroundTruth } from './ground-truth.js';
import type { MantisVariant } from './variant.js';

/**
 * What every Mantis actor is built with: the resolved config, the variant's switches, the
 * conditions a scenario injects (ScenarioFaults), and the ground truth the actors write (the data
 * plane, terminates on the wire, counters). No actor reads another actor's state through it.
 */
export interface MantisEnv {
  readonly config: MantisConfig;
  readonly variant: MantisVariant;
  readonly faults: ScenarioFaults;
  readonly truth: MantisGroundTruth;
}

/** Conditions a scenario step injects, which the models obey (they are the environment, not state). */
export class ScenarioFaults {
  /** Extra delay on a TE's outbound messages (the `delay` action). */
  readonly outboundDelay = new Map<string, { untilUs: number; byUs: number }>();
  /** The `jcm-initializing` action: the JobClustersManager drops WorkerEvents until then. */
  jcmInitializingUntilUs = 0;

  outboundExtraDelayUs(node: string, nowUs: number): number {
    const delay = this.outboundDelay.get(node);
    if (delay === undefined || nowUs >= delay.untilUs) return 0;
    return delay.byUs;
  }
}
