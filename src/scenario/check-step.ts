import type { CheckSpec, PlanStep, SystemModel } from '../systems/system-model.js';
import { describeType } from '../util/duration.js';
import type { DataPath, ProblemList } from './positions.js';
import { reportIssues } from './zod-issues.js';

/** The generic `check` step (a timeline action for every system with a vocabulary). */
export const CHECK_ACTION = 'check';

/** A parsed `check:` step's args, as PlanStep.args holds them. */
export interface CheckStepArgs {
  /** The vocabulary entry, e.g. `rc`. */
  readonly check: string;
  /** The check schema's output (the whole mapping but `variants`). */
  readonly args: unknown;
  /** Judged only under these variant expressions; null = under every variant. */
  readonly variants: readonly string[] | null;
  /** The mapping as written, for repro files and messages. */
  readonly source: Readonly<Record<string, unknown>>;
}

export function isCheckStep(step: PlanStep): step is PlanStep & { readonly args: CheckStepArgs } {
  return step.action === CHECK_ACTION;
}

/** The vocabulary of a model (none for a model that does not declare one). */
export function checksOf(model: SystemModel): readonly CheckSpec[] {
  return model.checks ?? [];
}

/**
 * `check: { rc: TE-1, is: Running(A-1-0), variants: [as-is] }`: exactly one vocabulary key names
 * the fact; the rest is that check's schema; `variants` (optional) limits it to some variants.
 * undefined = invalid (problems recorded with their positions).
 */
export function parseCheckStep(
  problems: ProblemList,
  model: SystemModel,
  path: DataPath,
  value: unknown,
): CheckStepArgs | undefined {
  const vocabulary = checksOf(model);
  const allowed = vocabulary.length === 0 ? 'none' : vocabulary.map((c) => c.name).join(', ');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.atPath(
      path,
      `expected a mapping naming one fact, like ${vocabulary[0]?.example ?? '{ <check>: … }'}, got ${describeType(value)} (checks of ${model.id}: ${allowed})`,
    );
    return undefined;
  }
  const source = value as Record<string, unknown>;
  const named = Object.keys(source).filter((key) => vocabulary.some((c) => c.name === key));
  if (named.length !== 1) {
    problems.atPath(
      path,
      named.length === 0
        ? `names no check of ${model.id} (allowed: ${allowed})`
        : `names ${named.length} checks (${named.join(', ')}); write one step per check`,
    );
    return undefined;
  }
  const spec = vocabulary.find((c) => c.name === named[0]) as CheckSpec;
  const variants = parseVariants(problems, model, [...path, 'variants'], source.variants);
  const { variants: _omit, ...rest } = source;
  const parsed = spec.schema.safeParse(rest);
  if (!parsed.success) {
    reportIssues(problems, parsed.error.issues, path, spec.schema, rest);
    return undefined;
  }
  if (variants === undefined) return undefined;
  return { check: spec.name, args: parsed.data, variants, source };
}

function parseVariants(
  problems: ProblemList,
  model: SystemModel,
  path: DataPath,
  value: unknown,
): readonly string[] | null | undefined {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.length === 0) {
    problems.atPath(path, `expected a non-empty list of variants like [as-is], got ${describeType(value)}`);
    return undefined;
  }
  let ok = true;
  value.forEach((variant: unknown, index) => {
    if (typeof variant !== 'string') {
      problems.atPath([...path, index], `expected a variant, got ${describeType(variant)}`);
      ok = false;
      return;
    }
    const wrong = model.checkVariant(variant);
    if (wrong !== null) {
      problems.atPath([...path, index], wrong);
      ok = false;
    }
  });
  return ok ? (value as string[]) : undefined;
}

/** After every step is parsed: the model's cross-references (a job submitted later in the file counts). */
export function crossCheckSteps(
  problems: ProblemList,
  model: SystemModel,
  cluster: unknown,
  steps: readonly PlanStep[],
  paths: ReadonlyMap<PlanStep, DataPath>,
): PlanStep[] {
  if (model.crossCheck === undefined || cluster === undefined) return [...steps];
  return steps.filter((step) => {
    if (!isCheckStep(step)) return true;
    const wrong = model.crossCheck?.(step.args.check, step.args.args, cluster, steps) ?? null;
    if (wrong === null) return true;
    problems.atPath(paths.get(step) ?? [], wrong);
    return false;
  });
}
