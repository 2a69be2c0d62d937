import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/run/simulate.js';
import { parseScenario, ScenarioError } from '../../src/scenario/load.js';

/** CONTRACT §3's example file, verbatim: acceptance checks are written from it. */
const CONTRACT_EXAMPLE = `
name: mantis-te-reconnect          # required, [a-z0-9-]+
description: Stage 2 of A reads from B after TE-1 segfaults and comes back.
system: mantis                     # required: mantis | ava
variant: as-is                     # default: mantis as-is, ava fixed
seed: 1                            # default 1
duration: 10m                      # required
config:                            # system parameters (§5); unknown key = error listing valid ones
  workerTimeout: 120s
network:
  latency: [1ms, 10ms]             # per message, uniform; default [1ms, 10ms]
  drop: 0                          # probability a message is lost; default 0
  duplicate: 0                     # probability a message is delivered twice; default 0
cluster: {}                        # system specific (§5)
timeline:                          # scripted steps; equal times run in file order
  - at: 30s
    crash: TE-1
  - at: 90s
    restart: TE-1
faults:                            # randomized faults, drawn from the seed (used by run and fuzz)
  crash: { every: 5m, restartAfter: [10s, 4m] }   # mean gap over the whole cluster; omit restartAfter = stays down
  partition: { every: 10m, for: [1s, 60s] }
  pause: { every: 10m, for: [1s, 30s] }
  messageDelay: [0ms, 200ms]       # extra delay per message, uniform
  swarm: true                      # each seed switches a random subset of these fault kinds off
expect:                            # for \`clustersim test\`: variant -> invariants that must be violated
  as-is: [no-foreign-read]
  fix-1a-merged: []                # [] = every invariant holds
`;

describe('the CONTRACT §3 example', () => {
  it('should load with an empty cluster (the report cluster) and meet its own expectations on several seeds', () => {
    // Arrange
    const scenario = parseScenario(CONTRACT_EXAMPLE, 'contract.yaml');
    for (const seed of [1, 2, 3]) {
      // Act
      const asIs = simulate(scenario, { seed });
      const merged = simulate(scenario, { seed, variant: 'fix-1a-merged' });
      // Assert
      expect(asIs.violations.map((v) => v.invariant)).toContain('no-foreign-read');
      expect(merged.violations).toEqual([]);
    }
  });

  it('should name bad library options after the option and the scenario file, not after CLI flags', () => {
    const scenario = parseScenario(CONTRACT_EXAMPLE, 'contract.yaml');
    let caught: unknown;
    try {
      simulate(scenario, { variant: 'nope', set: { workerTimeout: 'soon' } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScenarioError);
    const error = caught as ScenarioError;
    expect(error.file).toBe('contract.yaml');
    expect(error.problems.map((p) => p.message.split(':')[0])).toEqual(['options.variant', 'options.set']);
    expect(error.message).toMatch(/^contract\.yaml: options\.variant: unknown mantis variant 'nope'/);
  });

  it('should give ava an empty cluster of one approved operator and one task', () => {
    // Arrange
    const scenario = parseScenario('name: ava-min\nsystem: ava\nduration: 1m\ncluster: {}\n', 'ava-min.yaml');
    // Act
    const result = simulate(scenario);
    // Assert: the task reaches the operator after stabilization, and nothing breaks.
    expect(result.metrics['monitorSends']).toBe(1);
    expect(result.violations).toEqual([]);
  });
});
