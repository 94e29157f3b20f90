import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASYNCAPI_FILE, asyncApiYaml, staleness } from './asyncapi-yaml';
import { DEFAULT_TOPOLOGY_SETTINGS } from '../topology.config';

const ROOT = join(__dirname, '..', '..', '..', '..');
const version = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

let yaml: string;
const generated = () => yaml;
beforeAll(async () => {
  yaml = await asyncApiYaml(DEFAULT_TOPOLOGY_SETTINGS, version);
});

describe('docs/asyncapi.yaml', () => {
  it('is a valid AsyncAPI 3.0 document to the official parser', async () => {
    const { document, diagnostics } = await new Parser().parse(generated());
    const errors = diagnostics.filter(
      (diagnostic) => Number(diagnostic.severity) === Number(DiagnosticSeverity.Error),
    );
    expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
  });

  it('is what the code says (else: run npm run asyncapi)', () => {
    const committed = readFileSync(join(ROOT, ASYNCAPI_FILE), 'utf8');
    expect(staleness(committed, generated())).toBeUndefined();
  });
});

describe('the AsyncAPI parser as this test uses it', () => {
  it('reports an error for an operation on a channel the document lacks', async () => {
    const broken = generated().replace(
      "$ref: '#/channels/events.order.created'",
      "$ref: '#/channels/events.order.nowhere'",
    );
    const { diagnostics } = await new Parser().parse(broken);
    expect(diagnostics.some((d) => Number(d.severity) === Number(DiagnosticSeverity.Error))).toBe(
      true,
    );
  });
});
