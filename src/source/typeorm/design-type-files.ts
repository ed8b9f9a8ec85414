import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import type { ClassMember, Declaration, ModuleItem, TsEnumMember, TsType, TsTypeParameterDeclaration } from '@swc/core';

/** What a top-level name of a TypeScript file declares, as far as decorator metadata cares. */
export type LocalDeclaration =
  | { readonly kind: 'class' }
  | { readonly kind: 'interface' }
  | { readonly kind: 'value' }
  | { readonly kind: 'enum'; readonly members: ReadonlyMap<string, EnumMemberKind> }
  | { readonly kind: 'alias'; readonly type: TsType; readonly typeParameters: readonly TypeParameter[] };

export type EnumMemberKind = 'string' | 'number';

export interface TypeParameter {
  readonly name: string;
  readonly defaultType: TsType | undefined;
}

/** A name bound by an import: `import { imported as local } from 'specifier'` (imported `default` or `*` too). */
export interface ImportBinding {
  readonly specifier: string;
  readonly imported: string;
  readonly typeOnly: boolean;
}

/** An exported name: a local declaration, or a name re-exported from another module. */
export type ExportBinding = { readonly local: string } | { readonly specifier: string; readonly imported: string };

/** A property with decorators and a type annotation: the one place SWC's `design:type` can differ from tsc's. */
export interface DecoratedProperty {
  /** Null for a property without an annotation (`flag = false`), whose design type tsc makes Object. */
  readonly type: TsType | null;
  /** UTF-8 byte offsets of the annotation's type in the file; for no annotation, both at the end of the name. */
  readonly start: number;
  readonly end: number;
  /** The type parameters of the class the property is in, which shadow top-level names. */
  readonly classTypeParameters: ReadonlySet<string>;
}

/** The parts of one TypeScript file that tsc's decorator metadata depends on. */
export interface TypeScriptFileFacts {
  readonly file: string;
  readonly declarations: ReadonlyMap<string, LocalDeclaration>;
  readonly imports: ReadonlyMap<string, ImportBinding>;
  readonly exports: ReadonlyMap<string, ExportBinding>;
  readonly exportStars: readonly string[];
  readonly decoratedProperties: readonly DecoratedProperty[];
}

export interface SwcParseOptions {
  readonly syntax: 'typescript';
  readonly tsx: boolean;
  readonly decorators: boolean;
}

export type SwcParse = (source: string, options: SwcParseOptions) => { body: ModuleItem[] };

/**
 * What SWC's parser is given for a file: SWC's spans count bytes from a position shared by every parse in the
 * process, so the source is parsed behind a leading `;`, whose span gives the file's own origin.
 */
export function parserInput(file: string, source: string): { text: string; options: SwcParseOptions } {
  return { text: `;${withoutShebang(source)}`, options: { syntax: 'typescript', tsx: file.endsWith('.tsx'), decorators: true } };
}

/** Parses a file with SWC's parser into the facts above; null when it does not parse. */
export function factsOfSource(file: string, source: string, parse: SwcParse): TypeScriptFileFacts | null {
  const input = parserInput(file, source);
  try {
    return factsOfParsed(file, parse(input.text, input.options).body);
  } catch {
    return null; // The hook's own transpile reports the syntax error with its place.
  }
}

/** The facts of a file from what SWC parsed of parserInput(). */
export function factsOfParsed(file: string, items: ModuleItem[]): TypeScriptFileFacts {
  const origin = items[0]!.span.start + 1;
  const facts = { file, declarations: new Map(), imports: new Map(), exports: new Map(), exportStars: [], decoratedProperties: [] } satisfies TypeScriptFileFacts;
  for (const item of items) collectItem(item, facts);
  collectDecoratedProperties(items, new Set(), facts.decoratedProperties, origin);
  return facts;
}

function withoutShebang(source: string): string {
  return source.startsWith('#!') ? source.replace(/^#![^\n]*/, (line) => ' '.repeat(line.length)) : source;
}

interface MutableFacts {
  readonly declarations: Map<string, LocalDeclaration>;
  readonly imports: Map<string, ImportBinding>;
  readonly exports: Map<string, ExportBinding>;
  readonly exportStars: string[];
}

function collectItem(item: ModuleItem, facts: MutableFacts): void {
  switch (item.type) {
    case 'ImportDeclaration':
      for (const specifier of item.specifiers) {
        const imported = specifier.type === 'ImportDefaultSpecifier' ? 'default' : specifier.type === 'ImportNamespaceSpecifier' ? '*' : (specifier.imported?.value ?? specifier.local.value);
        const typeOnly = item.typeOnly || (specifier.type === 'ImportSpecifier' && specifier.isTypeOnly);
        facts.imports.set(specifier.local.value, { specifier: item.source.value, imported, typeOnly });
      }
      return;
    case 'ExportDeclaration': {
      const name = declare(item.declaration, facts);
      if (name !== null) facts.exports.set(name, { local: name });
      return;
    }
    case 'ExportNamedDeclaration':
      for (const specifier of item.specifiers) {
        if (specifier.type !== 'ExportSpecifier') continue;
        const local = specifier.orig.value;
        const exported = specifier.exported?.value ?? local;
        facts.exports.set(exported, item.source ? { specifier: item.source.value, imported: local } : { local });
      }
      return;
    case 'ExportAllDeclaration':
      facts.exportStars.push(item.source.value);
      return;
    case 'ExportDefaultDeclaration':
      if (item.decl.type === 'ClassExpression') {
        const name = item.decl.identifier?.value ?? '*default*';
        facts.declarations.set(name, { kind: 'class' });
        facts.exports.set('default', { local: name });
      }
      return;
    case 'ExportDefaultExpression':
      if (item.expression.type === 'Identifier') facts.exports.set('default', { local: item.expression.value });
      return;
    default:
      if (isDeclaration(item)) declare(item, facts);
  }
}

function isDeclaration(item: ModuleItem): item is Declaration {
  return ['ClassDeclaration', 'FunctionDeclaration', 'VariableDeclaration', 'TsInterfaceDeclaration', 'TsTypeAliasDeclaration', 'TsEnumDeclaration', 'TsModuleDeclaration'].includes(item.type);
}

/** Records a declaration; a class merged with an interface of the same name stays a class, as in tsc. */
function declare(declaration: Declaration, facts: MutableFacts): string | null {
  const set = (name: string, fact: LocalDeclaration): string => {
    const earlier = facts.declarations.get(name);
    if (earlier === undefined || earlier.kind === 'interface' || fact.kind === 'class') facts.declarations.set(name, fact);
    return name;
  };
  switch (declaration.type) {
    case 'ClassDeclaration':
      return set(declaration.identifier.value, { kind: 'class' });
    case 'TsInterfaceDeclaration':
      return set(declaration.id.value, { kind: 'interface' });
    case 'TsTypeAliasDeclaration':
      return set(declaration.id.value, { kind: 'alias', type: declaration.typeAnnotation, typeParameters: typeParametersOf(declaration.typeParams) });
    case 'TsEnumDeclaration':
      return set(declaration.id.value, { kind: 'enum', members: enumMemberKinds(declaration.members) });
    case 'FunctionDeclaration':
      return set(declaration.identifier.value, { kind: 'value' });
    case 'VariableDeclaration': {
      for (const declarator of declaration.declarations) {
        if (declarator.id.type === 'Identifier') set(declarator.id.value, { kind: 'value' });
      }
      const first = declaration.declarations[0]?.id;
      return first?.type === 'Identifier' && declaration.declarations.length === 1 ? first.value : null;
    }
    default:
      return null;
  }
}

function typeParametersOf(declaration: TsTypeParameterDeclaration | undefined): TypeParameter[] {
  return (declaration?.parameters ?? []).map((parameter) => ({ name: parameter.name.value, defaultType: parameter.default }));
}

/** A member without an initializer, or with a non-string one, is numeric: tsc allows computed members only as numbers. */
function enumMemberKinds(members: readonly TsEnumMember[]): Map<string, EnumMemberKind> {
  const kinds = new Map<string, EnumMemberKind>();
  for (const member of members) {
    const isString = member.init?.type === 'StringLiteral' || (member.init?.type === 'TemplateLiteral' && member.init.expressions.length === 0);
    kinds.set(member.id.value, isString ? 'string' : 'number');
  }
  return kinds;
}

/** Every class in the file, at any depth (mixins declare theirs inside functions). */
function collectDecoratedProperties(node: unknown, typeParameters: ReadonlySet<string>, found: DecoratedProperty[], origin: number): void {
  if (Array.isArray(node)) {
    for (const child of node) collectDecoratedProperties(child, typeParameters, found, origin);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as { type?: string; body?: unknown; typeParams?: TsTypeParameterDeclaration };
  if ((record.type === 'ClassDeclaration' || record.type === 'ClassExpression') && Array.isArray(record.body)) {
    const inClass = new Set([...typeParameters, ...typeParametersOf(record.typeParams).map((parameter) => parameter.name)]);
    for (const member of record.body as ClassMember[]) {
      if (member.type !== 'ClassProperty' || member.decorators === undefined || member.decorators.length === 0) continue;
      const type = member.typeAnnotation?.typeAnnotation;
      if (type !== undefined) found.push({ type, start: type.span.start - origin, end: type.span.end - origin, classTypeParameters: inClass });
      else found.push({ type: null, start: member.key.span.end - origin, end: member.key.span.end - origin, classTypeParameters: inClass });
    }
    collectDecoratedProperties(record.body, inClass, found, origin);
    return;
  }
  if (typeof record.type === 'string' && record.type.startsWith('Ts')) return; // Types hold no classes.
  for (const value of Object.values(node)) {
    if (typeof value === 'object' && value !== null) collectDecoratedProperties(value, typeParameters, found, origin);
  }
}

/**
 * The TypeScript file a module specifier names from `importer`, resolved as `require()` resolves it once the loader
 * is installed (relative paths, `.js` names of `.ts` files, tsconfig `paths`). Null for packages and compiled files:
 * their types are in declaration files this pass does not read, and SWC's output is then kept.
 */
export function resolveTypeScriptImport(specifier: string, importer: string): string | null {
  const resolveFilename = (Module as unknown as { _resolveFilename(request: string, parent: unknown): string })._resolveFilename;
  const nodeModulePaths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths;
  try {
    const parent = { id: importer, filename: importer, paths: nodeModulePaths(path.dirname(importer)) };
    const resolved = resolveFilename(specifier, parent);
    if (!/\.[cm]?tsx?$/.test(resolved) || /\.d\.[cm]?ts$/.test(resolved) || resolved.split(path.sep).includes('node_modules')) return null;
    return resolved;
  } catch {
    return null;
  }
}

export function readSource(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
