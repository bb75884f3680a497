import { z } from 'zod';
import type { ModelTool } from '../ports/model.js';

/** The `submit` tool: the phase's final report, checked against the phase's schema. */
export function submitTool(schema: z.ZodType): {
  definition: ModelTool;
  check(input: unknown): { ok: true; report: unknown } | { ok: false; error: string };
} {
  return {
    definition: {
      name: 'submit',
      description: 'Finish the phase: submit your report. Call it once, after every file is written.',
      inputSchema: z.toJSONSchema(schema) as Record<string, unknown>,
    },
    check(input) {
      const parsed = schema.safeParse(input);
      if (parsed.success) return { ok: true, report: parsed.data };
      const problems = parsed.error.issues.map(
        (issue) => `- ${issue.path.join('.') || 'report'}: ${issue.message}`,
      );
      return {
        ok: false,
        error: `The report does not match the expected schema; fix it and call submit again:\n${problems.join('\n')}`,
      };
    },
  };
}
