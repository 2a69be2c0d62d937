// PLACEHOLDER while the model is being written; replaced by the real model.
import { z } from 'zod';
import type { SystemModel } from '../system-model.js';

export const avaModel: SystemModel<Record<string, never>> = {
  id: 'ava',
  meaning: 'placeholder',
  controlPlaneNode: 'aggregator',
  defaultVariant: 'fixed',
  variants: [],
  invariants: [],
  config: [],
  actions: [],
  clusterSchema: z.strictObject({}),
  checkVariant: () => 'not implemented yet',
  nodes: () => ['aggregator'],
  faultTargets: () => [],
  build: () => {
    throw new Error('ava model not implemented yet');
  },
};
