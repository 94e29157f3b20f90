import { camel, constant, pascal, schemaOf } from '../names';

/** Every name a new service's files use, from its kebab-case name and its port. */
export interface ServiceNames {
  name: string;
  port: number;
  /** `shippingService`, the definition's export. */
  definition: string;
  pascal: string;
  camel: string;
  schema: string;
  /** `SHIPPING_SCHEMA`, the tables file's export. */
  schemaConstant: string;
  passwordVariable: string;
  hostPortVariable: string;
}

/** The variable compose publishes a service's port on the host with: `SHIPPING_HOST_PORT`. */
export const hostPortVariable = (name: string): string => `${constant(name)}_HOST_PORT`;

export function serviceNames(name: string, port: number): ServiceNames {
  return {
    name,
    port,
    definition: `${camel(name)}Service`,
    pascal: pascal(name),
    camel: camel(name),
    schema: schemaOf(name),
    schemaConstant: `${constant(name)}_SCHEMA`,
    passwordVariable: `${constant(name)}_RABBITMQ_PASSWORD`,
    hostPortVariable: hostPortVariable(name),
  };
}
