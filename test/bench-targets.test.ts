import { describe, expect, it } from 'vitest';
import type { BenchRow } from '../bench/bench-result.js';
import {
  formatTargets,
  fuzzTargets,
  heartbeatStormTargets,
  modelSpeedTargets,
  startUpTargets,
  timeToFindTargets,
} from '../bench/targets.js';

const storm = (impl: string, executors: number, beatsPerS: number, rssMB = 100): BenchRow => ({
  bench: 'heartbeat-storm',
  impl,
  executors,
  beatsPerS,
  rssMB,
});

describe('bench targets', () => {
  it('checks the heartbeat-storm targets against the rows: rate, speed-up over fake-timers, RSS', () => {
    // Arrange: everything met but RSS (the E = 100 000 / E = 1 000 ratio target is retired).
    const rows = [
      storm('clustersim', 1_000, 3_000_000),
      storm('clustersim', 10_000, 2_800_000),
      storm('clustersim', 100_000, 2_000_000, 301),
      storm('fake-timers', 10_000, 280_000),
    ];
    // Act
    const checks = heartbeatStormTargets(rows);
    // Assert
    expect(checks.map((c) => [c.measured, c.met])).toEqual([
      ['2.80 M/s', true],
      ['10.0×', true],
      ['301 MB', false],
    ]);
    expect(
      heartbeatStormTargets([
        storm('clustersim', 10_000, 1_400_000),
        storm('fake-timers', 10_000, 280_000),
      ])[1]?.met,
    ).toBe(true);
    expect(
      heartbeatStormTargets([
        storm('clustersim', 10_000, 1_300_000),
        storm('fake-timers', 10_000, 280_000),
      ])[1]?.met,
    ).toBe(false);
  });

  it("compares clustersim run's start-up with a bare node's, as a ratio of medians", () => {
    const rows = (run: number): BenchRow[] => [
      { bench: 'start-up', command: "node -e ''", runs: 15, medianMs: 50, minMs: 45 },
      {
        bench: 'start-up',
        command: 'clustersim run scenarios/mantis/report.yaml',
        runs: 15,
        medianMs: run,
        minMs: 90,
      },
    ];
    expect(startUpTargets(rows(100)).map((c) => [c.measured, c.met])).toEqual([
      ['2.00× (100 ms against 50 ms, medians)', true],
    ]);
    expect(startUpTargets(rows(101))[0]?.met).toBe(false);
    expect(startUpTargets(rows(101).slice(1))).toEqual([]);
  });

  it('leaves out a target whose rows were not measured', () => {
    expect(
      heartbeatStormTargets([storm('clustersim', 10_000, 900_000)]).map((c) => [c.target, c.met]),
    ).toEqual([['≥ 1.0 M heartbeats/s at E = 10 000', false]]);
  });

  it("takes the fuzz targets from the Mantis profile's longest campaign", () => {
    // Arrange: the short campaign's start-up makes its 2-worker speed-up look worse; Ava does not count.
    const fuzz = (scenario: string, seeds: number, workers: number, seedsPerS: number): BenchRow => ({
      bench: 'fuzz',
      scenario,
      workers,
      seedsPerS,
      seeds,
      wallS: 1,
    });
    const rows = [
      fuzz('scenarios/mantis/fuzz.yaml', 2_000, 1, 700),
      fuzz('scenarios/mantis/fuzz.yaml', 2_000, 2, 800),
      fuzz('scenarios/mantis/fuzz.yaml', 10_000, 1, 800),
      fuzz('scenarios/mantis/fuzz.yaml', 10_000, 2, 1_200),
      fuzz('scenarios/ava/fuzz.yaml', 10_000, 2, 50),
    ];
    // Act / Assert
    expect(fuzzTargets(rows).map((c) => [c.measured, c.met])).toEqual([
      ['800 seeds/s', true],
      ['1.50×', false],
    ]);
  });

  it('fails time-to-find when a bug is not found or found too slowly, and says which', () => {
    const row = (seeds: number, wallS: number): BenchRow => ({
      bench: 'time-to-find',
      scenario: 's.yaml',
      variant: 'as-is',
      seeds,
      wallS,
    });
    expect(timeToFindTargets([row(1, 0.02), row(3, 0.4)])[0]).toMatchObject({
      measured: 'slowest 0.4 s',
      met: true,
    });
    expect(timeToFindTargets([row(1, 0.02), row(-1, 3)])[0]).toMatchObject({
      measured: '1 of 2 not found',
      met: false,
    });
    expect(timeToFindTargets([row(1, 1.5)])[0]?.met).toBe(false);
  });

  it('prints one line per target, marked met or not', () => {
    expect(
      formatTargets([
        { target: 'x ≥ 1', measured: '2', met: true },
        { target: 'y ≥ 0.7', measured: '0.6', met: false },
      ]),
    ).toEqual(['✓ x ≥ 1: 2', '✗ y ≥ 0.7: 0.6 (not met)']);
  });

  it('checks the model-speed targets that replaced wall-clock test assertions', () => {
    const row = (workload: string, wallMs: number): BenchRow => ({ bench: 'model-speed', workload, wallMs });
    expect(
      modelSpeedTargets([row('mantis-report-run', 62.5), row('mantis-fuzz-shrink', 4_200)]).map((c) => [
        c.measured,
        c.met,
      ]),
    ).toEqual([
      ['62.5 ms', false],
      ['4.20 s', true],
    ]);
  });
});
