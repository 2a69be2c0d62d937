import type { Capabilities, Trigger } from './cluster.js';

/**
 * With an empty `approved_operators` list, CanStreamCheck (L2545) accepts only three
 * hard-coded addresses. The spec quotes them elided (`0x997e…d49d`, …), so they are matched by
 * prefix and suffix; the first is spelled out in the design note.
 */
const HARD_CODED: readonly (readonly [string, string])[] = [
  ['0x997e', 'd49d'],
  ['0xc6b8', '7dc3'],
  ['0xa026', '7c4e'],
];

/** `CanStreamCheck(address)`: case-insensitive EqualFold against the static list. */
export function canStreamCheck(approved: readonly string[], address: string): boolean {
  const lower = address.toLowerCase();
  if (approved.length === 0)
    return HARD_CODED.some(([head, tail]) => lower.startsWith(head) && lower.endsWith(tail));
  return approved.some((a) => a.toLowerCase() === lower);
}

/** `supportsTaskTrigger(address, task)` (L2585): no state or nil capabilities → true. */
export function supportsTaskTrigger(capabilities: Capabilities | undefined, trigger: Trigger): boolean {
  if (capabilities === undefined) return true;
  switch (trigger) {
    case 'event':
      return capabilities.event;
    case 'block':
      return capabilities.block;
    case 'cron':
    case 'fixedTime':
      return capabilities.time;
  }
}
