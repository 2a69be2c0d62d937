/**
 * Exit codes (CONTRACT §2): 0 fine, 1 a finding / mismatch, 2 bad usage or input, 3 no verdict
 * (a run stopped at a limit), 70 a clustersim bug, 128 + n a stop signal (130 Ctrl-C, 143 SIGTERM,
 * 129 SIGHUP: see explore/interrupt.ts).
 */
export const EXIT_USAGE = 2;
/**
 * A run (or every run of a campaign that found nothing) stopped at a limit: events, simulated
 * time or pending events. Not 0 (nothing was shown to hold), not 1 (nothing was found).
 */
export const EXIT_LIMIT = 3;
/** An unexpected error: a bug in clustersim itself (EX_SOFTWARE of sysexits.h). */
export const EXIT_BUG = 70;
