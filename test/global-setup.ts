import { ensureBuilt } from './built.js';

/**
 * Worker threads and the spawned CLI run the compiled dist/. `npm test` builds first; a bare
 * `npx vitest run` (or `npm run test:fast`) builds here, once, when dist/ is missing or older
 * than the sources, so the suite needs no prior build.
 */
export default function setup(): void {
  if (!ensureBuilt('dist/.tsbuildinfo', ['src', 'bench']))
    throw new Error('npm run build failed: dist/ is missing');
}
