/** An "allowed: …" list of more than ALLOWED_ALL names shows ALLOWED_SHOWN and "… and N more". */
export const ALLOWED_ALL = 30;
export const ALLOWED_SHOWN = 10;
/** Fuzzy "did you mean" runs over at most this many candidates (bounded work per problem). */
const SUGGEST_CANDIDATES_MAX = 1_000;

/**
 * `a, b, c` — or, for a long list, its first names and a count: `TE-1, TE-2, … and 99 990 more`.
 * Reads at most ALLOWED_SHOWN + 1 items of an iterable, so a message costs the same for 10 names
 * as for 100 000.
 */
export function allowedList(names: Iterable<string>, total?: number): string {
  const shown: string[] = [];
  let more = false;
  for (const name of names) {
    if (shown.length === ALLOWED_ALL) {
      more = true;
      break;
    }
    shown.push(name);
  }
  if (!more) return shown.join(', ');
  const count = total ?? Number.NaN;
  const rest = Number.isFinite(count) ? ` and ${groupDigits(count - ALLOWED_SHOWN)} more` : ' and more';
  return `${shown.slice(0, ALLOWED_SHOWN).join(', ')}, …${rest}`;
}

function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/**
 * The closest candidate to a misspelt `name`, when exactly one is close enough to be a likely
 * typo (`beatIntervall` → `beatInterval`; `w9` among `w1`, `w2` is no one's typo).
 */
export function closest(name: string, candidates: Iterable<string>): string | null {
  // Up to one edit per three characters: `X0` is not a typo of `E0`, `beatIntervall` is one of `beatInterval`.
  const limit = Math.min(3, Math.floor(name.length / 3));
  let best: string | null = null;
  let bestDistance = limit + 1;
  let tie = false;
  let seen = 0;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    if (++seen > SUGGEST_CANDIDATES_MAX) break;
    if (candidate === name) continue;
    if (candidate.toLowerCase() === lower) return candidate;
    if (Math.abs(candidate.length - name.length) > bestDistance) continue;
    const d = distance(lower, candidate.toLowerCase(), bestDistance + 1);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tie = false;
    } else if (best !== null && d === bestDistance && candidate !== best) tie = true;
  }
  return tie ? null : best;
}

/** ` (did you mean 'x'?)`, or '' when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const best = closest(name, candidates);
  return best === null ? '' : ` (did you mean '${best}'?)`;
}

/**
 * `unknown node 'TE-0' (did you mean 'TE-9'?) (allowed: TE-1, …)`: the message every unknown
 * name gets, with the list shortened and a suggestion for a near miss.
 */
export function unknownName(
  what: string,
  name: string,
  candidates: readonly string[] | ReadonlySet<string>,
  where = '',
): string {
  const count = 'size' in candidates ? candidates.size : candidates.length;
  const allowed = count === 0 ? 'none' : allowedList(candidates, count);
  return `unknown ${what} '${name}'${where === '' ? '' : ` ${where}`}${didYouMean(name, candidates)} (allowed: ${allowed})`;
}

/** Levenshtein distance with transpositions, giving up (returning `cap`) once it reaches `cap`. */
function distance(a: string, b: string, cap: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let before: number[] = previous;
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (before[j - 2] ?? 0) + 1);
      current.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin >= cap) return cap;
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length] ?? cap, cap);
}
