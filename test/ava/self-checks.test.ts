import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../src/engine/index.js';
import { AssertionError, msToUs } from '../../src/engine/index.js';
import { runPlan } from '../../src/run/run-plan.js';
import { compilePlan } from '../../src/scenario/compile.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Engine } from '../../src/systems/ava/engine.js';
import { ModelMutex } from '../../src/systems/ava/mutex.js';

const TEXT = [
  'name: self-checks',
  'system: ava',
  'duration: 30s',
  'cluster:',
  '  operators:',
  '    - { address: "0xA1", approved: true }',
  '  tasks:',
  '    - { id: T1, trigger: event }',
  '',
].join('\n');

/** A run of TEXT under fixed with `poke` applied at 15s. */
function runPoked(poke: (sim: Simulation) => void): () => unknown {
  const plan = compilePlan(parseScenario(TEXT, 'self-checks.yaml'), { variant: 'fixed' });
  return () => runPlan(plan, { instrument: (sim) => sim.at(msToUs(15_000), () => poke(sim)) });
}

describe('ava: the model checks itself (an internal failure is an AssertionError, never a finding)', () => {
  it('assignmentMutex unlocked by a goroutine that does not hold it', () => {
    // Arrange
    const mutex = new ModelMutex('assignmentMutex');
    mutex.lock('c1');
    // Act / Assert
    expect(() => mutex.unlock('c2')).toThrow(AssertionError);
    expect(() => mutex.unlock('c1')).not.toThrow();
  });

  it('a write to taskAssignments outside assignmentMutex', () => {
    // Act / Assert
    const run = runPoked((sim) =>
      sim.instance<Engine>(sim.ref('aggregator', 'engine'))?.setAssignment('T1', '0xA1'),
    );
    expect(run).toThrow(AssertionError);
  });

  it('a message the Engine has no case for', () => {
    // Act / Assert
    const run = runPoked((sim) => {
      const engine = sim.ref('aggregator', 'engine');
      sim.send(engine, engine, { type: 'no-such-message' });
    });
    expect(run).toThrow(/unhandled variant.*no-such-message/);
  });

  it('a message an operator process has no case for', () => {
    // Act / Assert
    const run = runPoked((sim) => {
      const worker = sim.ref('0xA1', 'worker');
      sim.send(worker, worker, { type: 'no-such-message' });
    });
    expect(run).toThrow(AssertionError);
  });

  it('a message a StreamCheckToOperator handler has no case for', () => {
    // Act / Assert
    const run = runPoked((sim) => {
      const handler = sim.ref('aggregator', 'stream-1');
      sim.send(handler, handler, { type: 'no-such-message' });
    });
    expect(run).toThrow(AssertionError);
  });

  it('the unpoked run is clean (so each poke above is what throws)', () => {
    // Act / Assert
    expect(runPoked(() => undefined)).not.toThrow();
  });
});
