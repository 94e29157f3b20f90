import { ConfigModule, type ConfigModuleOptions } from '@nestjs/config';

/**
 * A service's ConfigModule: its environment validated once at boot and read from nowhere else.
 * No `.env` file (compose and the deployment pass the environment), and no falling back to
 * `process.env` for a key the validated config leaves out, which would hand a handler the raw
 * string of a variable its schema reads as unset (blank) or never declared.
 */
export function serviceConfigModule(
  validate: NonNullable<ConfigModuleOptions['validate']>,
  options: Pick<ConfigModuleOptions, 'ignoreEnvVars'> = {},
) {
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    skipProcessEnv: true,
    validate,
    ...options,
  });
}
