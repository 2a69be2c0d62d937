import { describe, expect, it } from 'vitest';
import { renderFlagship } from '../../src/demo/flagship.js';

describe('flagship (npm start)', () => {
  it('shows as-is reading B and fix-1a-merged not, side by side', () => {
    const text = renderFlagship({ color: false });
    expect(text).toMatch(/as-is {2}A reads B for \d+s/);
    expect(text).toContain('fix-1a-merged  A never reads B');
    expect(text).toContain("▶ stage 2 of A starts reading B's data");
    expect(text).toContain('WorkerTerminate(A-1-0, Failed, Lost)');
    expect(text.split('\n').filter((l) => l.includes(' │ ')).length).toBeGreaterThan(5);
  });
});
