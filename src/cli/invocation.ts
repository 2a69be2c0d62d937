/** The arguments of the running command (after `clustersim`), for "resume with" lines. */
let current: readonly string[] = [];

export function setInvocation(args: readonly string[]): void {
  current = [...args];
}

export function invocationArgs(): readonly string[] {
  return current;
}
