/** The names one generated thing goes by, derived from its kebab-case name, so each is chosen once. */

const WORD = '[a-z][a-z0-9]*(-[a-z0-9]+)*';
const KEBAB = new RegExp(`^${WORD}$`);
/** An event type: a dot-separated, kebab-case source and event (`order.paid`, `payment.refund-requested`). */
const EVENT_TYPE = new RegExp(`^${WORD}(\\.${WORD})+$`);
/** SQL words a schema cannot be named after unquoted (why order's schema is `orders`). */
const RESERVED = new Set(['order', 'user', 'group', 'table', 'select', 'check', 'default', 'end']);

export function assertKebab(name: string, what: string): void {
  if (!KEBAB.test(name)) throw new Error(`${what} "${name}" must be kebab-case (e.g. shipping)`);
}

export function assertEventType(type: string): void {
  if (!EVENT_TYPE.test(type)) {
    throw new Error(
      `Event type "${type}" must be <source>.<event> in kebab-case (e.g. order.paid)`,
    );
  }
}

export const pascal = (kebab: string): string =>
  kebab
    .split(/[-.]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

export const camel = (kebab: string): string => {
  const name = pascal(kebab);
  return name.charAt(0).toLowerCase() + name.slice(1);
};

export const constant = (kebab: string): string => kebab.replace(/-/g, '_').toUpperCase();

/** The PostgreSQL schema a service owns: its name, plural where the name is a reserved word. */
export const schemaOf = (service: string): string => {
  const schema = service.replace(/-/g, '_');
  return RESERVED.has(schema) ? `${schema}s` : schema;
};

/** `order.paid` → the contract's name, `OrderPaid`, and its file's base name, `order-paid`. */
export const contractName = (type: string): string => pascal(type);
export const eventFile = (type: string): string => type.replace(/\./g, '-');
/** The service an event comes from: the first part of its type. */
export const sourceOf = (type: string): string => type.split('.')[0];
