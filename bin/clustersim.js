#!/usr/bin/env node
// Thin entry: the CLI lives in src/cli (compiled to dist/ by `npm install` / `npm run build`).
import { main } from '../dist/src/cli/main.js';
import { detectCommandName, setCommandName } from '../dist/src/util/command-name.js';

// The hints the CLI prints ("re-run: …") name clustersim as this reader can type it.
setCommandName(detectCommandName({ env: process.env, entry: process.argv[1] ?? '', cwd: process.cwd() }));
process.exitCode = await main(process.argv);
