import { parseScenario, ScenarioError } from '../../src/scenario/load.js';

/** The loader's problems with a scenario text, one message line each ([] when it is valid). */
export function problemsOf(text: string): string[] {
  try {
    parseScenario(text, 'c.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.message.split('\n');
    throw error;
  }
  return [];
}
