import { existsSync } from 'node:fs';

/** Debian's Chromium (`apt-get install chromium`, done by .ci/run); CHROMIUM_PATH overrides. */
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * The browser for the headless tests, or null locally when none is installed (the tests are then
 * skipped with a message saying how to get it). In CI a missing browser is an error, never a skip.
 */
export function chromiumPath(): string | null {
  const found = CANDIDATES.find((p): p is string => p !== undefined && p !== '' && existsSync(p)) ?? null;
  if (found === null && process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false')
    throw new Error(
      'CI: no Chromium at /usr/bin/chromium; .ci/run installs it (apt-get install -y chromium)',
    );
  if (found === null)
    console.warn(
      'SKIPPED: the headless-browser tests of the HTML report need Chromium: apt-get install -y chromium (or set CHROMIUM_PATH)',
    );
  return found;
}
