import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { B2BClient } from 'stytch';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StytchEmulator } from '../../fakes/stytch-emulator.js';
import { tourEveryEndpoint } from '../../fakes/stytch-emulator/tour.js';

/**
 * The emulator's responses are checked against the stytch package's own type definitions:
 * at compile time (every handler returns the SDK response type it names, so tsc refuses a
 * missing required field) and at run time (every recorded answer carries every required key,
 * recursively, read from the installed .d.ts files — so the check follows the SDK version).
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fakes = join(root, 'test/fakes');
const emulatorFiles = [join(fakes, 'stytch-emulator.ts'), ...readdirSync(join(fakes, 'stytch-emulator')).filter((f) => f.endsWith('.ts')).map((f) => join(fakes, 'stytch-emulator', f))];

describe('compile time: the emulator against the SDK types', () => {
  const probe = join(fakes, 'stytch-emulator', '__types-probe__.ts');
  const probeText = [
    "import type { Organization } from 'stytch';",
    "import { route } from './router.js';",
    "export const missingField = route('GET', '/x', 'B2BOrganizationsGetResponse', (ctx) => ({ ...ctx.ok }));",
    "export const wrongType = route('GET', '/y', 'B2BSessionsRevokeResponse', (ctx) => ({ ...ctx.ok, status_code: 'ok' }));",
    "export const partial: Pick<Organization, 'organization_id' | 'organization_slug'> = { organization_id: 'x' };",
  ].join('\n');
  let program: ts.Program;

  beforeAll(() => {
    const configPath = join(root, 'tsconfig.json');
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
    if (!parsed) throw new Error('tsconfig.json did not parse');
    const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
    const host = ts.createCompilerHost(options, true);
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (fileName, language, ...rest) => (resolve(fileName) === probe ? ts.createSourceFile(fileName, probeText, language, true) : getSourceFile.call(host, fileName, language, ...rest));
    host.fileExists = (fileName) => resolve(fileName) === probe || fileExists.call(host, fileName);
    host.readFile = (fileName) => (resolve(fileName) === probe ? probeText : readFile.call(host, fileName));
    program = ts.createProgram({ rootNames: [...emulatorFiles, probe], options, host });
  });

  const messages = (diagnostics: readonly ts.Diagnostic[]) =>
    diagnostics.map((d) => `${d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);

  it('compiles the emulator with the project options and zero diagnostics', () => {
    const emulatorSources = emulatorFiles.map((file) => program.getSourceFile(file));
    expect(emulatorSources.every(Boolean)).toBe(true);
    const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...emulatorSources.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)])];
    expect(messages(diagnostics)).toEqual([]);
  });

  it('refuses a route whose answer misses a required field or has a wrongly typed one', () => {
    const found = messages(program.getSemanticDiagnostics(program.getSourceFile(probe)));
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/:3: .*'organization'/s);
    expect(found[1]).toMatch(/:4: Type 'string' is not assignable to type 'number'/);
    expect(found[2]).toMatch(/:5: .*'organization_slug'/s);
  });
});

// ---- runtime: required keys read from the installed .d.ts ----

interface Property {
  name: string;
  optional: boolean;
  type: ts.TypeNode | undefined;
}

/** Interface name → members, from stytch's b2b declarations (plus b2c/sessions for AuthenticationFactor and JWK). */
function readSdkInterfaces(): Map<string, Property[]> {
  const entry = createRequire(import.meta.url).resolve('stytch');
  const typesDir = join(dirname(entry), '..', 'types', 'lib');
  const files = [...readdirSync(join(typesDir, 'b2b')).filter((f) => f.endsWith('.d.ts')).map((f) => join(typesDir, 'b2b', f)), join(typesDir, 'b2c', 'sessions.d.ts')];
  const interfaces = new Map<string, Property[]>();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (!ts.isInterfaceDeclaration(statement) || interfaces.has(statement.name.text)) continue;
      const properties = statement.members.filter(ts.isPropertySignature).map((member) => ({ name: member.name.getText(source), optional: member.questionToken !== undefined, type: member.type }));
      interfaces.set(statement.name.text, properties);
    }
  }
  return interfaces;
}

/** Problems of `value` as an instance of the interface `typeName` (missing required keys, wrong primitive types), recursively. */
function conformance(interfaces: Map<string, Property[]>, value: unknown, typeName: string, path = typeName): string[] {
  const properties = interfaces.get(typeName);
  if (!properties) return [`${path}: no interface ${typeName} in the stytch declarations`];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object`];
  const record = value as Record<string, unknown>;
  return properties.flatMap((property) => {
    const field = record[property.name];
    const at = `${path}.${property.name}`;
    if (field === undefined || field === null) return property.optional ? [] : [`${at}: required but missing`];
    return property.type ? typeProblems(interfaces, field, property.type, at) : [];
  });
}

function typeProblems(interfaces: Map<string, Property[]>, value: unknown, type: ts.TypeNode, path: string): string[] {
  if (type.kind === ts.SyntaxKind.StringKeyword) return typeof value === 'string' ? [] : [`${path}: expected a string`];
  if (type.kind === ts.SyntaxKind.NumberKeyword) return typeof value === 'number' ? [] : [`${path}: expected a number`];
  if (type.kind === ts.SyntaxKind.BooleanKeyword) return typeof value === 'boolean' ? [] : [`${path}: expected a boolean`];
  if (ts.isArrayTypeNode(type)) {
    if (!Array.isArray(value)) return [`${path}: expected an array`];
    return value.flatMap((item, i) => typeProblems(interfaces, item, type.elementType, `${path}[${i}]`));
  }
  if (ts.isUnionTypeNode(type)) {
    // `"a" | "b" | string`: a string; otherwise fine if any member fits.
    const fits = type.types.map((member) => (ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal) ? (typeof value === 'string' ? [] : [`${path}: expected a string`]) : typeProblems(interfaces, value, member, path)));
    return fits.some((problems) => problems.length === 0) ? [] : (fits[0] ?? []);
  }
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    if (name === 'Record' && type.typeArguments?.[1]) {
      if (typeof value !== 'object' || value === null) return [`${path}: expected an object`];
      const valueType = type.typeArguments[1];
      return Object.entries(value).flatMap(([key, item]) => typeProblems(interfaces, item, valueType, `${path}.${key}`));
    }
    if (interfaces.has(name)) return conformance(interfaces, value, name, path);
  }
  return [];
}

describe('run time: every recorded answer has every required key of its SDK type', () => {
  let emulator: StytchEmulator;
  let interfaces: Map<string, Property[]>;

  beforeAll(async () => {
    interfaces = readSdkInterfaces();
    emulator = await StytchEmulator.start();
    const stytch = new B2BClient({ project_id: emulator.projectId, secret: emulator.secret, env: emulator.url });
    await tourEveryEndpoint(stytch, emulator);
  });
  afterAll(() => emulator.stop());

  it('reads the response interfaces from the installed declarations', () => {
    expect(interfaces.get('Organization')?.find((p) => p.name === 'organization_slug')).toMatchObject({ optional: false });
    expect(interfaces.get('Member')?.find((p) => p.name === 'created_at')).toMatchObject({ optional: true });
    for (const { responseType } of emulator.routeTable) expect(interfaces.has(responseType), responseType).toBe(true);
  });

  it('exercised every implemented endpoint successfully', () => {
    const answered = new Set(emulator.responses.filter((r) => r.status === 200).map((r) => r.responseType));
    const missing = emulator.routeTable.filter((r) => !answered.has(r.responseType)).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    expect(emulator.responses.filter((r) => r.status !== 200)).toEqual([]);
  });

  it('finds no missing or mistyped field in any answer', () => {
    const problems = emulator.responses.flatMap((r) => (r.responseType ? conformance(interfaces, r.body, r.responseType) : [`${r.method} ${r.path}: untyped answer`]));
    expect(problems).toEqual([]);
  });

  it('would notice a missing nested field (the check can fail)', () => {
    const answer = emulator.responses.find((r) => r.responseType === 'B2BSessionsAuthenticateResponse');
    const broken = structuredClone(answer?.body) as { member: Record<string, unknown>; member_session: { authentication_factors: Array<Record<string, unknown>> } };
    delete broken.member['email_address'];
    broken.member_session.authentication_factors[0] = { type: 'password' };
    broken.member['is_admin'] = 'yes';
    expect(conformance(interfaces, broken, 'B2BSessionsAuthenticateResponse').sort()).toEqual([
      'B2BSessionsAuthenticateResponse.member.email_address: required but missing',
      'B2BSessionsAuthenticateResponse.member.is_admin: expected a boolean',
      'B2BSessionsAuthenticateResponse.member_session.authentication_factors[0].delivery_method: required but missing',
    ]);
  });
});
