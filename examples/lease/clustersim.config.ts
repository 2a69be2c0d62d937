import { defineConfig } from 'clustersim';

// The project's own systems: every clustersim command run in this folder (or below) knows them.
export default defineConfig({ systems: ['./lease.ts'] });
