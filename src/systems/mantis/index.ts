// PLACEHOLDER while the model is being written; replaced by the real model.
import { z } from 'zod';
import type { SystemModel } from '../system-model.js';

export const mantisModel: SystemModel<Record<string, never>> = {
  id: 'mantis',
  meaning: 'placeholder',
  controlPlaneNode: 'control-plane',
  defaultVariant: 'as-is',
  variants: [],
  invariants: [],
  config: [],
  actions: [],
  clusterSchema: z.strictObject({}),
  checkVariant: () => 'not implemented yet',
  nodes: () => ['control-plane'],
  faultTargets: () => [],
  build: () => {
    throw new Error('mantis model not implemented yet');
  },
};
