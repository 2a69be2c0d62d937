// INTERFACE STUB: the Mantis model work (issue 4) replaces this with the real side-by-side view.

export interface FlagshipOptions {
  readonly color: boolean;
}

/** `npm start`: report.yaml under as-is and fix-1a-merged, side by side, as text. */
export function renderFlagship(options: FlagshipOptions): string {
  void options;
  return 'flagship not implemented yet\n';
}
