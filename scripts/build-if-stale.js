// `npm start` without a 13 s recompile when nothing changed: runs the build only when dist/ is
// missing or a source (src/, bench/, the tsconfigs) is newer than the last build. The build is
// incremental, so one that emits nothing leaves dist/.tsbuildinfo alone: touch it afterwards.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const stamp = join(root, 'dist/.tsbuildinfo');

function newestMs(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMs(join(path, entry)));
  return newest;
}

const sources = ['src', 'bench', 'tsconfig.json', 'tsconfig.build.json'].map((p) => join(root, p));
if (!existsSync(stamp) || Math.max(...sources.map(newestMs)) > statSync(stamp).mtimeMs) {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  const now = new Date();
  utimesSync(stamp, now, now);
}
