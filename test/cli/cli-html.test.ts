// `--html FILE` on run, compare, fuzz and shrink: the file is written, says what it should, and an
// output that cannot be written is bad input (exit 2) before any work.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'clustersim-cli-html-'));
const REPORT = join(import.meta.dirname, '..', '..', 'scenarios', 'mantis', 'report.yaml');
const FUZZ = join(import.meta.dirname, '..', '..', 'scenarios', 'mantis', 'fuzz.yaml');

describe('--html', () => {
  it('should write the run of `run --html` and say where, keeping the exit code of the verdict', async () => {
    // Arrange
    const out = join(dir, 'run.html');

    // Act
    const { code, stdout } = await cli('run', REPORT, '--html', out, '--no-color');

    // Assert
    expect(code).toBe(1);
    expect(stdout).toContain(`HTML report written to ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('data-invariant="no-foreign-read"');
    expect(html).toContain('data-lane="TE-1"');
  });

  it('should refuse an output that is a directory with exit 2, before running', async () => {
    // Act
    const { code, stderr } = await cli('run', REPORT, '--html', dir);

    // Assert
    expect(code).toBe(2);
    expect(stderr).toContain('it is a directory');
  });

  it('should chart the violating rates of `compare --html` with their intervals', async () => {
    // Arrange
    const out = join(dir, 'compare.html');

    // Act
    const { code } = await cli(
      'compare',
      FUZZ,
      '--variants',
      'as-is,fix-1a-merged',
      '--seeds',
      '4',
      '--workers',
      '1',
      '--quiet',
      '--html',
      out,
    );

    // Assert
    expect(code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('data-variant="fix-1a-merged" data-invariant="any invariant"');
    expect(html).toMatch(
      /fix-1a-merged<\/td><td>any invariant<\/td><td>0 \/ 4<\/td><td>0\.0%<\/td><td>0\.0% – \d/,
    );
  });

  it('should draw the shrunk run of `shrink --html`', async () => {
    // Arrange
    const repro = join(dir, 'report.yaml');
    writeFileSync(repro, readFileSync(REPORT, 'utf8'));
    const out = join(dir, 'shrunk.html');

    // Act
    const { code } = await cli('shrink', repro, '--quiet', '--html', out);

    // Assert
    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('(shrunk)');
  });
});
