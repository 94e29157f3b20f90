import { configValidator, envUrl } from '@app/platform';
import { z } from 'zod';
import { type ServiceName, serviceNamed, SERVICES } from '@app/services';

const MIN_PASSWORD_LENGTH = 8;

/**
 * Compose and the deployment write each password into its service's RABBITMQ_URL as it is: a
 * `%41` there would log in as `A`, a `/` or `#` would end the password, a `,` start another node.
 * Refused here, where the user is created, rather than as a login the broker refuses later.
 */
const servicePassword = z
  .string({ error: 'is required' })
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .regex(
    /^[!-~]*$/,
    'must be printable ASCII without spaces: it is written into the service’s URL as it is',
  )
  .refine(
    (password) => !/[/#?@:%,[\]\\]/.test(password),
    'must not hold / # ? @ : % , [ ] or \\: it is written into the service’s URL as it is',
  );

type PasswordVariable = (typeof SERVICES)[number]['broker']['passwordVariable'];

/** Each service's password, in the variable its definition names. */
const passwordVariables = Object.fromEntries(
  SERVICES.map((service) => [service.broker.passwordVariable, servicePassword]),
) as Record<PasswordVariable, typeof servicePassword>;

/**
 * The service user that would be the administrator of the management URL: posting it without
 * tags would take the administrator's own rights away, so the configuration is refused.
 */
function administratorTaken(config: {
  RABBITMQ_MANAGEMENT_URL: string;
  RABBITMQ_USER_PREFIX: string;
}) {
  let administrator: string;
  try {
    administrator = decodeURIComponent(new URL(config.RABBITMQ_MANAGEMENT_URL).username);
  } catch {
    // Not a URL, or not one whose user reads back: named by the URL's own check, if at all.
    return undefined;
  }
  return SERVICES.find(
    (service) => `${config.RABBITMQ_USER_PREFIX}${service.name}` === administrator,
  );
}

/** The tool's environment. Passwords are the services' own; the management URL holds an admin's. */
export const brokerSetupConfigSchema = z
  .object({
    RABBITMQ_MANAGEMENT_URL: envUrl(['http:', 'https:']).default(
      'http://guest:guest@localhost:15672',
    ),
    RABBITMQ_VHOST: z.string().min(1).default('/'),
    // Plain characters only: the user names end up in the services' amqp:// URLs.
    RABBITMQ_USER_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9._-]*$/, 'may hold only letters, digits, dots, dashes and underscores')
      .default(''),
    ...passwordVariables,
  })
  .superRefine((config, context) => {
    const service = administratorTaken(config);
    if (!service) return;
    context.addIssue({
      code: 'custom',
      path: ['RABBITMQ_USER_PREFIX'],
      message: `gives ${service.name} the user of RABBITMQ_MANAGEMENT_URL, the administrator, whose rights broker-setup would replace with the service's; set a prefix`,
    });
  });

export type BrokerSetupConfig = z.output<typeof brokerSetupConfigSchema>;

export const validateBrokerSetupConfig = configValidator(brokerSetupConfigSchema);

export function passwordOf(config: BrokerSetupConfig, service: ServiceName): string {
  return config[serviceNamed(service).broker.passwordVariable];
}

/** The one place this tool reads its environment. */
export function loadBrokerSetupConfig(): BrokerSetupConfig {
  // eslint-disable-next-line no-restricted-properties -- this is the validated config
  return validateBrokerSetupConfig(process.env);
}
