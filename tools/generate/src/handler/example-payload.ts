import * as contracts from '@app/contracts';
import { z } from 'zod';

const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';

interface JsonSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  minLength?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
}

function exampleOf(schema: JsonSchema, key = 'value'): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((name) => [
          name,
          exampleOf(schema.properties?.[name] ?? {}, name),
        ]),
      );
    case 'array':
      return [exampleOf(schema.items ?? {}, key)];
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    default:
      if (schema.format === 'uuid') return UUID;
      if (schema.format === 'date-time') return '2026-11-05T10:00:00.000Z';
      return key.padEnd(schema.minLength ?? 1, 'x');
  }
}

/**
 * A payload that passes the contract's schema, written as source for the generated spec, or
 * undefined when the schema asks for more than a plain example gives (the spec then states none).
 */
export function examplePayload(contractName: string): string | undefined {
  const contract = (contracts as Record<string, unknown>)[contractName] as
    { schema: z.ZodType } | undefined;
  if (!contract) return `{ id: '${UUID}' }`;
  try {
    const example = exampleOf(z.toJSONSchema(contract.schema, { io: 'input' }) as JsonSchema);
    return contract.schema.safeParse(example).success ? JSON.stringify(example) : undefined;
  } catch {
    return undefined;
  }
}
