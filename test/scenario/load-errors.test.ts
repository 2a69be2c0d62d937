import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioBytes, ScenarioError } from '../../src/scenario/load.js';
import { registerSystemForTests } from '../../src/systems/registry.js';
import { toyModel } from './toy-model.js';

let unregister: () => void = () => undefined;
beforeAll(() => {
  unregister = registerSystemForTests(toyModel as never);
});
afterAll(() => unregister());

/** The exact `file:line:col: message` lines the loader reports for `text`. */
function problems(text: string): string[] {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ScenarioError');
}

const DURATION_HELP = 'a number of ms, or number+unit parts like 1500ms, 90s, 2m, 1m30s, 1h';

describe('scenario loader error messages', () => {
  it('should refuse a message delay both on the network and in the faults', () => {
    const text =
      'name: twice\nsystem: toy\nduration: 1m\nnetwork:\n  messageDelay: [0s, 5ms]\nfaults:\n  messageDelay: [0s, 5ms]\n';
    expect(problems(text)).toEqual([
      'bad.yaml:7:3: faults.messageDelay: network.messageDelay is set too (allowed: one of the two: network for every run, faults for a delay drawn per seed)',
    ]);
    expect(parseScenario(text.replace(/faults:\n.*\n$/, ''), 'ok.yaml').network.messageDelayMs).toEqual([
      0, 5,
    ]);
  });

  it('should report every problem of a file at once, each at its line and column, in file order', () => {
    // Arrange
    const text = [
      '# yaml-language-server: $schema=../../schema/scenario.schema.json',
      'name: Bad_Name',
      'system: toy',
      'variant: wobbly',
      'duration: -5s',
      'extra: 1',
      'config:',
      '  beatInterval: abc',
      '  retries: 1.5',
      '  beatIntervall: 1s',
      '  mode: medium',
      '  eager: yes',
      'network:',
      '  latency: [10ms, 1ms]',
      '  drop: 2',
      '  jitter: 1',
      'cluster:',
      '  workers: 3',
      '  region: eu',
      '',
    ].join('\n');
    // Act
    const lines = problems(text);
    // Assert
    expect(lines).toEqual([
      'bad.yaml:2:7: name: must use only a-z, 0-9 and - (allowed: [a-z0-9-]+)',
      "bad.yaml:4:10: variant: unknown variant 'wobbly' (allowed: plain, strict)",
      `bad.yaml:5:11: duration: negative duration '-5s' (allowed: ${DURATION_HELP})`,
      "bad.yaml:6:1: extra: unknown key 'extra' (allowed: name, description, system, variant, seed, duration, config, network, cluster, timeline, faults, expect, traceHash)",
      `bad.yaml:8:17: config.beatInterval: malformed duration 'abc' (allowed: ${DURATION_HELP})`,
      'bad.yaml:9:12: config.retries: expected an integer, got number 1.5',
      "bad.yaml:10:3: config.beatIntervall: unknown key 'beatIntervall' in config (did you mean 'beatInterval'?) (allowed: beatInterval, retries, ratio, eager, mode)",
      "bad.yaml:11:9: config.mode: 'medium' is not allowed (allowed: fast, slow)",
      "bad.yaml:12:10: config.eager: expected true or false, got 'yes'",
      'bad.yaml:14:12: network.latency: min 10ms is larger than max 1ms',
      'bad.yaml:15:9: network.drop: a probability must be from 0 to 1',
      "bad.yaml:16:3: network.jitter: unknown key 'jitter' (allowed: latency, drop, duplicate, messageDelay)",
      "bad.yaml:19:3: cluster.region: unknown key 'region' (allowed: workers)",
    ]);
  });

  it('should point at the offending timeline step, action, node and argument', () => {
    // Arrange
    const text = [
      'name: steps',
      'system: toy',
      'duration: 1h',
      'timeline:',
      '  - at: 10s',
      '    crash: w9',
      '    restart: w1',
      '  - at: 2h',
      '    ping: { node: w1, extra: 1 }',
      '  - at: 5s',
      '    explode: w1',
      '  - crash: w1',
      '  - at: 1s',
      '  - 42',
      '  - at: 1s',
      '    pause: { node: w1, for: 1x }',
      '  - at: 1s',
      '    heal: [w1, zz]',
      '  - at: 1s',
      '    ping: { node: w7 }',
      '  - at: 1m1m',
      '    crash: w1',
      '',
    ].join('\n');
    // Act
    const lines = problems(text);
    // Assert
    expect(lines).toEqual([
      'bad.yaml:7:5: timeline[0].restart: two actions in one step (crash, restart); write one step per action',
      'bad.yaml:8:9: timeline[1].at: 2h is after the end of the run (duration 1h)',
      "bad.yaml:9:23: timeline[1].ping.extra: unknown key 'extra' (allowed: node, times)",
      "bad.yaml:11:5: timeline[2].explode: unknown action 'explode' (allowed: crash, restart, pause, partition, heal, check, ping, sever, mend)",
      'bad.yaml:12:5: timeline[3].at: missing (required: when the step runs, a duration from the start)',
      'bad.yaml:13:5: timeline[4]: step has no action (allowed: at plus one of crash, restart, pause, partition, heal, check, ping, sever, mend)',
      "bad.yaml:14:5: timeline[5]: expected a step mapping like '- at: 30s' + one action, got number 42",
      `bad.yaml:16:29: timeline[6].pause.for: malformed duration '1x' (allowed: ${DURATION_HELP})`,
      "bad.yaml:18:16: timeline[7].heal[1]: unknown node 'zz' (allowed: hub, w1, w2)",
      "bad.yaml:20:11: timeline[8].ping: unknown worker 'w7' (allowed: w1, w2)",
      `bad.yaml:21:9: timeline[9].at: duration '1m1m': units must go from larger to smaller, each once (allowed: ${DURATION_HELP})`,
    ]);
  });

  it('should report an unknown node of a generic action with the nodes that exist', () => {
    const lines = problems('name: n\nsystem: toy\nduration: 1m\ntimeline:\n  - at: 1s\n    crash: w9\n');
    expect(lines).toEqual(["bad.yaml:6:12: timeline[0].crash: unknown node 'w9' (allowed: hub, w1, w2)"]);
  });

  it('should check faults and expect against the system', () => {
    // Arrange
    const text = [
      'name: faults',
      'system: toy',
      'duration: 10m',
      'faults:',
      '  crash: { every: 0s }',
      '  pause: { every: 10ms, for: [1s, 2s] }',
      '  flood: 1',
      'expect:',
      '  plain: [all-workers-up, nope]',
      '  fancy: []',
      '__proto__: 1',
      '',
    ].join('\n');
    // Act
    const lines = problems(text);
    // Assert
    expect(lines).toEqual([
      'bad.yaml:5:19: faults.crash.every: must be longer than 0',
      'bad.yaml:6:19: faults.pause.every: about 60000 faults in 10m (allowed: at most 10000; raise every)',
      "bad.yaml:7:3: faults.flood: unknown fault kind 'flood' (allowed: crash, drop, partition, pause, messageDelay, config, swarm, quiet)",
      "bad.yaml:9:27: expect.plain[1]: unknown invariant 'nope' (allowed: all-workers-up, hub-heard-everyone)",
      "bad.yaml:10:3: expect.fancy: unknown variant 'fancy' (allowed: plain, strict)",
      "bad.yaml:11:1: '__proto__' is not allowed as a key",
    ]);
  });

  it('should name the unknown system and the ones that exist', () => {
    expect(problems('name: x\nsystem: nosuch\nduration: 1s\n')).toEqual([
      "bad.yaml:2:9: system: unknown system 'nosuch' (allowed: mantis, ava, toy)",
    ]);
  });

  it('should say which required keys are missing', () => {
    expect(problems('system: toy\n')).toEqual([
      'bad.yaml:1:1: name: missing (required: a name of a-z, 0-9 and -)',
      `bad.yaml:1:1: duration: missing (required: a duration, ${DURATION_HELP})`,
    ]);
  });

  it('should reject empty files, non-mappings, YAML syntax errors and duplicate keys', () => {
    expect(problems('')).toEqual([
      'bad.yaml:1:1: empty file: a scenario is a mapping with at least name, system and duration',
    ]);
    expect(problems('# only a comment\n')).toEqual([
      'bad.yaml:1:1: empty file: a scenario is a mapping with at least name, system and duration',
    ]);
    expect(problems('- a\n- b\n')).toEqual([
      'bad.yaml:1:1: a scenario file must be a mapping of keys (name, system, duration, …), got a list',
    ]);
    expect(problems('name: [1,\n')).toEqual([
      'bad.yaml:2:1: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    // A duplicate key does not stop validation: the rest of the file is checked in the same pass.
    expect(problems('name: a\nname: b\n')).toEqual([
      'bad.yaml:1:1: system: missing (required: the system under test)',
      `bad.yaml:1:1: duration: missing (required: a duration, ${DURATION_HELP})`,
      'bad.yaml:2:1: YAML syntax: Map keys must be unique',
    ]);
  });

  it('should reject binary content: NUL bytes and invalid UTF-8', () => {
    // Arrange
    const nul = 'name: x\nsys\u0000tem: toy\n';
    const invalidUtf8 = Uint8Array.from([0x6e, 0x3a, 0x20, 0x0a, 0x61, 0xff, 0xfe]);
    // Act + Assert
    expect(problems(nul)).toEqual(['bad.yaml:2:4: binary content (NUL byte): a scenario file is YAML text']);
    expect(() => parseScenarioBytes(invalidUtf8, 'bad.yaml')).toThrow(
      'bad.yaml:2:2: binary content (invalid UTF-8): a scenario file is YAML text',
    );
  });

  it('should reject durations past the limit and malformed ones', () => {
    expect(problems('name: x\nsystem: toy\nduration: 8d\n')).toEqual([
      `bad.yaml:3:11: duration: malformed duration '8d' (allowed: ${DURATION_HELP})`,
    ]);
    expect(problems('name: x\nsystem: toy\nduration: 200h\n')).toEqual([
      "bad.yaml:3:11: duration: duration '200h' is longer than the limit of 7 days",
    ]);
    expect(problems('name: x\nsystem: toy\nduration: 0\n')).toEqual([
      'bad.yaml:3:11: duration: must be longer than 0',
    ]);
  });

  it('should carry file, line and column of the first problem on the error (CONTRACT §9: column, also as col)', () => {
    // Act
    let caught: unknown;
    try {
      parseScenario('name: x\nsystem: toy\nduration: 1m\nseed: -1\n', 'f.yaml');
    } catch (error) {
      caught = error;
    }
    // Assert
    expect(caught).toBeInstanceOf(ScenarioError);
    const error = caught as ScenarioError;
    expect([error.file, error.line, error.column, error.col]).toEqual(['f.yaml', 4, 7, 7]);
    expect(error.problems).toHaveLength(1);
    expect(error.message).toBe('f.yaml:4:7: seed: a seed must be >= 0');
  });
});

describe('scenario loader on valid input', () => {
  it('should convert durations to ms and keep file positions as step origins', () => {
    // Arrange
    const text =
      'name: ok\nsystem: toy\nduration: 1m30s\nconfig:\n  beatInterval: 1500ms\ncluster: { workers: 3 }\ntimeline:\n  - at: 90s\n    pause: { node: w2, for: 2s }\n  - at: 0\n    heal: all\n';
    // Act
    const scenario = parseScenario(text, 'ok.yaml');
    // Assert
    expect(scenario.durationMs).toBe(90_000);
    expect(scenario.config).toEqual({ beatInterval: 1500 });
    expect(scenario.cluster).toEqual({ workers: ['w1', 'w2', 'w3'] });
    expect(scenario.timeline).toEqual([
      { atMs: 90_000, action: 'pause', args: { node: 'w2', forMs: 2000 }, origin: 'ok.yaml:8' },
      { atMs: 0, action: 'heal', args: 'all', origin: 'ok.yaml:10' },
    ]);
  });
});
