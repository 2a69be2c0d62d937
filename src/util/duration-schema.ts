import { z } from 'zod';
import { describeType, DURATION_HELP, parseDuration } from './duration.js';

/** json-schema.ts recognises durations by this description and adds their pattern. */
export const DURATION_DESCRIPTION = `Duration: ${DURATION_HELP}.`;

export const durationSchema = z
  .union([z.number(), z.string()], {
    error: (issue) =>
      issue.input === undefined
        ? `missing (required: a duration, ${DURATION_HELP})`
        : `expected a duration, got ${describeType(issue.input)} (allowed: ${DURATION_HELP})`,
  })
  .superRefine((value, ctx) => {
    const parsed = parseDuration(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
  })
  .meta({ description: DURATION_DESCRIPTION });
