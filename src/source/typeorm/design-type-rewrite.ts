import { factsOfSource, readSource, resolveTypeScriptImport, type SwcParse, type TypeScriptFileFacts } from './design-type-files';
import { serializeTypeNode, type DesignType, type ResolvedName, type SerializerContext } from './design-type-serializer';

/** The source SWC is to compile, and the other files whose declarations it depends on. */
export interface SourceForSwc {
  readonly source: string;
  readonly dependencies: readonly string[];
}

/**
 * Rewrites the type annotation of every decorated property to one whose `design:type`, as SWC emits it, is the one
 * tsc emits for the original.
 *
 * SWC compiles one file at a time and knows nothing of other files or of the project's strictNullChecks: for
 * `id: Id` with `type Id = string` (here or imported), for `'a' | 'b'`, or for `string | null` without strict null
 * checks, it emits Object where tsc emits String, and TypeORM then takes Object for the column type. tsc reads the
 * annotation syntactically and asks the checker only what a referenced name declares (a class, an enum, an alias of
 * a string…), which this pass answers from the files the names are imported from. Only annotations change, within
 * their own lines, so line numbers of the compiled code stay those of the file.
 */
export function sourceForSwc(file: string, source: string, strictNullChecks: boolean, parse: SwcParse): SourceForSwc {
  if (!mayHaveDecoratedProperties(source)) return { source, dependencies: [] };
  const own = parsedAhead.get(file)?.source === source ? parsedAhead.get(file)!.facts : factsOfSource(file, source, parse);
  parsedAhead.delete(file);
  parsedFiles.set(file, own);
  if (own === null || own.decoratedProperties.length === 0) return { source, dependencies: [] };
  const files = new FactsOfFiles(parse);
  const context: SerializerContext = { strictNullChecks, resolve: (facts, name) => files.resolve(facts, name, new Set()) };
  const bytes = Buffer.from(source, 'utf8');
  const edits: { start: number; end: number; text: string }[] = [];
  for (const property of own.decoratedProperties) {
    const typeParameters = new Map([...property.classTypeParameters].map((name) => [name, null] as const));
    if (property.type === null) {
      // SWC emits `void 0` for `flag = false`; tsc's serializeTypeOfNode gives Object to a property with no type.
      edits.push({ start: property.start, end: property.end, text: ': object' });
      continue;
    }
    const designType = serializeTypeNode(property.type, { facts: own, typeParameters }, context);
    if (designType === null) continue;
    const original = bytes.subarray(property.start, property.end).toString('utf8');
    const text = annotationFor(designType);
    if (text !== original) edits.push({ start: property.start, end: property.end, text: text + original.replace(/[^\n]/g, '') });
  }
  return { source: edits.length === 0 ? source : applyEdits(bytes, edits), dependencies: [...files.consulted] };
}

/**
 * Facts of files parsed ahead (on SWC's threads, while the loader precompiles), with the source they were parsed
 * from: the hook reads the file again, and facts of another text would place the edits wrongly.
 */
const parsedAhead = new Map<string, { source: string; facts: TypeScriptFileFacts }>();

/** Keeps the facts of a file parsed ahead of sourceForSwc. */
export function rememberParsedAhead(file: string, source: string, facts: TypeScriptFileFacts): void {
  parsedAhead.set(file, { source, facts });
}

/** A decorator on a class member: without one there is no metadata, and the file is not parsed. */
export function mayHaveDecoratedProperties(source: string): boolean {
  return source.includes('@');
}

/** An annotation SWC serializes as `designType`. */
function annotationFor(designType: DesignType): string {
  if (designType.kind === 'void') return 'undefined';
  if (designType.kind === 'class') return designType.name;
  const annotations: Record<typeof designType.name, string> = {
    String: 'string',
    Number: 'number',
    Boolean: 'boolean',
    BigInt: 'bigint',
    Symbol: 'symbol',
    Object: 'object',
    Array: 'unknown[]',
    Function: 'Function',
    Promise: 'Promise<unknown>',
  };
  return annotations[designType.name];
}

function applyEdits(bytes: Buffer, edits: readonly { start: number; end: number; text: string }[]): string {
  const parts: Buffer[] = [];
  let at = 0;
  for (const edit of [...edits].sort((left, right) => left.start - right.start)) {
    parts.push(bytes.subarray(at, edit.start), Buffer.from(edit.text, 'utf8'));
    at = edit.end;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts).toString('utf8');
}

/** Facts of the files a compiled file's names lead to, parsed once per process, and which of them were read. */
class FactsOfFiles {
  readonly consulted = new Set<string>();

  constructor(private readonly parse: SwcParse) {}

  resolve(facts: TypeScriptFileFacts, name: string, visiting: Set<string>): ResolvedName | null | 'global' {
    const declaration = facts.declarations.get(name);
    if (declaration !== undefined) return { declaration, facts, typeOnly: false };
    const binding = facts.imports.get(name);
    if (binding === undefined) return 'global';
    if (binding.imported === '*') return null;
    const found = this.exported(binding.specifier, facts.file, binding.imported, visiting);
    return found === null ? null : { ...found, typeOnly: found.typeOnly || binding.typeOnly };
  }

  private exported(specifier: string, importer: string, name: string, visiting: Set<string>): ResolvedName | null {
    const file = resolveTypeScriptImport(specifier, importer);
    if (file === null) return null;
    const key = `${file}\0${name}`;
    if (visiting.has(key)) return null;
    visiting.add(key);
    const facts = this.factsOf(file);
    if (facts === null) return null;
    const binding = facts.exports.get(name);
    if (binding !== undefined) {
      if ('local' in binding) {
        const found = this.resolve(facts, binding.local, visiting);
        return found === 'global' ? null : found;
      }
      return this.exported(binding.specifier, file, binding.imported, visiting);
    }
    if (name === 'default') return null;
    for (const star of facts.exportStars) {
      const found = this.exported(star, file, name, visiting);
      if (found !== null) return found;
    }
    return null;
  }

  private factsOf(file: string): TypeScriptFileFacts | null {
    this.consulted.add(file);
    let facts = parsedFiles.get(file);
    if (facts === undefined) {
      const source = readSource(file);
      const ahead = parsedAhead.get(file);
      facts = source === null ? null : ahead?.source === source ? ahead.facts : factsOfSource(file, source, this.parse);
      parsedFiles.set(file, facts);
    }
    return facts;
  }
}

/**
 * Files parsed in this process, by path: an entity's imports are mostly the other entities, each read once. A load
 * runs once per process, so a file does not change between two lookups.
 */
const parsedFiles = new Map<string, TypeScriptFileFacts | null>();
