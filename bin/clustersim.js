#!/usr/bin/env node
// Thin entry: the CLI lives in src/cli (compiled to dist/ by `npm install` / `npm run build`).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv);
