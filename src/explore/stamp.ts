import { createHash } from 'node:crypto';
import { packageVersion } from '../report/version.js';
import type { Scenario } from '../scenario/types.js';

/** What `fuzz --report / --json` adds so `merge` can refuse shards of another build or scenario. */
export interface CampaignStamp {
  /** clustersim's version that ran the campaign. */
  readonly clustersim: string;
  /** The loaded scenario's content (not its path: shards may run it from different folders). */
  readonly scenarioHash: string;
}

export function campaignStamp(scenario: Scenario): CampaignStamp {
  const content = {
    ...scenario,
    file: null,
    timeline: scenario.timeline.map(({ origin: _origin, ...step }) => step),
  };
  const scenarioHash = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
  return { clustersim: packageVersion(), scenarioHash };
}
