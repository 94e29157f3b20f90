import { z } from 'zod';
import { sharedSettingProblems } from './base-config.schema';
import { misspelledSettings } from './misspelled-settings';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    // One line, problems joined: a log collector keeps each line as a record of its own, and the
    // first one an operator reads names every bad variable.
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

const notices: string[] = [];

/**
 * What the last validations let through but boot should tell of, once its logger is up: a
 * variable that names no setting but nearly names one, ignored.
 */
export function takeConfigNotices(): string[] {
  return notices.splice(0);
}

/**
 * Builds the `validate` function for `ConfigModule.forRoot`: it parses the environment with the
 * service's schema and, when something is wrong, fails boot with one problem per bad variable.
 * Values are never echoed back: a bad DATABASE_URL may contain a password.
 */
export function configValidator<Schema extends z.ZodType<object, Record<string, unknown>>>(
  schema: Schema,
) {
  return (env: Record<string, unknown>): z.output<Schema> => {
    const present = Object.fromEntries(
      // Blank counts as unset (`PORT=" "` takes the default), as an empty value does.
      Object.entries(env).filter(([, value]) => !(value === undefined || isBlank(value))),
    );
    const result = schema.safeParse(present);
    if (!result.success) {
      throw new ConfigValidationError(
        result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      );
    }
    const problems = sharedSettingProblems(result.data);
    if (problems.length > 0) throw new ConfigValidationError(problems);
    if (schema instanceof z.ZodObject) {
      for (const { name, meant } of misspelledSettings(env, Object.keys(schema.shape))) {
        notices.push(
          `Ignoring ${name}, which is no setting of this service: did you mean ${meant}?`,
        );
      }
    }
    return result.data;
  };
}

function isBlank(value: unknown): boolean {
  return typeof value === 'string' && value.trim() === '';
}
