import { Piscina } from 'piscina';
import { describe, expect, it, vi } from 'vitest';
import { openExecutor } from '../../src/explore/pool.js';
import type { CampaignSpec } from '../../src/explore/seed-run.js';
import { fuzzSeed } from '../../src/explore/seed-run.js';
import { loadScenario } from '../../src/scenario/load.js';

// Pool threads run the compiled dist/ (test/global-setup.ts builds it).
const spec: CampaignSpec = {
  scenario: loadScenario('scenarios/ava/fuzz.yaml'),
  variant: 'pre',
  strategy: { kind: 'random' },
};

async function runSeeds(executor: ReturnType<typeof openExecutor>, batches: number[][]): Promise<string[]> {
  const replies = await Promise.all(batches.map((seeds) => executor.run({ kind: 'fuzz', seeds })));
  return replies.flatMap((reply) =>
    reply.kind === 'fuzz' ? reply.outcomes.map((o) => `${o.seed} ${JSON.stringify(o.violations)}`) : [],
  );
}

describe('the fuzz executor', () => {
  const batches = [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
    [9, 10],
    [11, 12],
  ];
  const expected = batches.flat().map((seed) => {
    const o = fuzzSeed(spec, seed);
    return `${o.seed} ${JSON.stringify(o.violations)}`;
  });

  it.each([
    {
      poolAfterS: 60,
      pooled: false,
      why: 'a short campaign stays in this thread: pool threads would not pay for their start-up',
    },
    { poolAfterS: 0, pooled: true, why: 'a campaign worth them starts the pool threads' },
  ])('should decide from the first task: $why, with the same outcomes', async ({ poolAfterS, pooled }) => {
    // Arrange
    const poolRun = vi.spyOn(Piscina.prototype, 'run');
    const executor = openExecutor(spec, 2, { expectedTasks: batches.length, poolAfterS });
    // Act
    const outcomes = await runSeeds(executor, batches);
    await executor.close();
    const threadTasks = poolRun.mock.calls.length;
    poolRun.mockRestore();
    // Assert: pooled means a thread really ran tasks.
    expect(executor.pooled).toBe(pooled);
    expect(threadTasks > 0).toBe(pooled);
    expect(outcomes).toEqual(expected);
  });

  it('should start the pool at once when the task count is unknown (compare)', async () => {
    const executor = openExecutor(spec, 2);
    expect(executor.pooled).toBe(true);
    await executor.close();
  });
});
