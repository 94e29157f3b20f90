import {
  addConstructorParameter,
  appendToLiteral,
  continueCommand,
  ensureImport,
  insertAtClassStart,
  insertIntoClass,
  replaceFirst,
} from './source-edits';

describe('source edits', () => {
  it('adds a name to an existing import, or a new import after the last', () => {
    const source = "import { A } from '@app/x';\n\nconst a = 1;\n";
    expect(ensureImport(source, '@app/x', 'B', 'f.ts')).toContain("import { A, B } from '@app/x';");
    expect(ensureImport(source, '@app/x', 'A', 'f.ts')).toBe(source);
    expect(ensureImport(source, './y', 'C', 'f.ts')).toBe(
      "import { A } from '@app/x';\nimport { C } from './y';\n\nconst a = 1;\n",
    );
  });

  it('appends to an array after a typed declaration, and to an object literal', () => {
    expect(appendToLiteral('const handlers: Type[] = [];', 'const handlers', 'H', 'f.ts')).toBe(
      'const handlers: Type[] = [H];',
    );
    expect(appendToLiteral('const s = [A, B,\n];', 'const s', 'C', 'f.ts')).toBe(
      'const s = [A, B, C\n];',
    );
    expect(appendToLiteral('queues: { a: q({ n: 1 }) },', 'queues:', 'b: q()', 'f.ts')).toBe(
      'queues: { a: q({ n: 1 }), b: q() },',
    );
  });

  it('adds a constructor parameter, or a constructor', () => {
    expect(
      addConstructorParameter(
        'export class A {\n  constructor(private readonly b: B) {}\n}',
        'A',
        'c: C',
        'f.ts',
      ),
    ).toContain('constructor(private readonly b: B, c: C) {}');
    expect(addConstructorParameter('export class A {}', 'A', 'c: C', 'f.ts')).toContain(
      'constructor(c: C) {}',
    );
  });

  it("edits the class it names, not another class's constructor or body in the file", () => {
    const source =
      'export class Missing extends Error {\n  constructor(readonly id: string) {\n    super(id);\n  }\n}\n' +
      '@MessageController(t.queues.q)\n@UseGuards(new Allow())\nexport class Handler {}\n' +
      'export class After {}\n';

    const withParameter = addConstructorParameter(source, 'Handler', 'c: C', 'f.ts');
    expect(withParameter).toContain('constructor(readonly id: string) {');
    expect(withParameter).toContain('export class Handler {\n  constructor(c: C) {}\n}');
    expect(insertIntoClass(source, 'Handler', '  y = 2;', 'f.ts')).toContain(
      'export class Handler {\n\n  y = 2;\n}\nexport class After {}',
    );
    expect(insertAtClassStart(source, 'Handler', '  x = 1;', 'f.ts')).toContain(
      'export class Handler {\n  x = 1;\n}',
    );
  });

  it('adds a member at the end of the class, and stops at what it cannot find', () => {
    expect(insertIntoClass('export class A {\n  x = 1;\n}\n', 'A', '  y = 2;', 'f.ts')).toBe(
      'export class A {\n  x = 1;\n\n  y = 2;\n}\n',
    );
    expect(() => insertIntoClass('export class A {}', 'B', '  y = 2;', 'f.ts')).toThrow(
      'f.ts: could not find the class B',
    );
    expect(() => appendToLiteral('const a = 1;', 'const handlers', 'H', 'm.ts')).toThrow(
      'm.ts: could not find "const handlers"',
    );
  });

  it('replaces the first match, and stops naming what it looked for when there is none', () => {
    expect(
      replaceFirst('EXPOSE 3000 3001\n', /^(EXPOSE .*)$/m, '$1 3003', 'an EXPOSE line', 'D'),
    ).toBe('EXPOSE 3000 3001 3003\n');
    expect(() =>
      replaceFirst('FROM node\n', /^(EXPOSE .*)$/m, '$1 3003', 'an EXPOSE line', 'D'),
    ).toThrow('D: could not find an EXPOSE line; edit it by hand (docs/extending.md)');
  });

  it('continues a shell command after its last matching line, and stops at what it cannot find', () => {
    const command = 'create \\\n  --a=1 \\\n  --b=2\nnext\n';
    const line = /^ {2}--[a-z]=\d$/;
    expect(continueCommand(command, line, '  --c=3', 'f.md')).toBe(
      'create \\\n  --a=1 \\\n  --b=2 \\\n  --c=3\nnext\n',
    );
    expect(() => continueCommand('create\n', line, '  --c=3', 'f.md')).toThrow('f.md');
  });
});
