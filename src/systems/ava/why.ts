import type { WhyModel } from '../why-model.js';

/**
 * How an Ava violation explains itself: the aggregator's notes already speak upstream's log
 * lines (the decisive one names what a handler cleaned up or kept), so the model only folds the
 * per-connection ticker and hides the trace-only span notes.
 */
export const avaWhy: WhyModel = {
  quiet: ['span-begin', 'span-end'],
  routine: { tick: 'ticker rounds', dial: 'dial attempts' },
};
