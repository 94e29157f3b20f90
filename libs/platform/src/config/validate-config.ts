import { z } from 'zod';
import { sharedSettingProblems } from './base-config.schema';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/**
 * Builds the `validate` function for `ConfigModule.forRoot`: it parses the environment with the
 * service's schema and, when something is wrong, fails boot with one line per bad variable.
 * Values are never echoed back: a bad DATABASE_URL may contain a password.
 */
export function configValidator<Schema extends z.ZodType<object, Record<string, unknown>>>(
  schema: Schema,
) {
  return (env: Record<string, unknown>): z.output<Schema> => {
    const present = Object.fromEntries(
      Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
    );
    const result = schema.safeParse(present);
    if (!result.success) {
      throw new ConfigValidationError(
        result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      );
    }
    const problems = sharedSettingProblems(result.data);
    if (problems.length > 0) throw new ConfigValidationError(problems);
    return result.data;
  };
}
