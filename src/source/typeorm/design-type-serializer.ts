import type { TsEntityName, TsType } from '@swc/core';
import type { EnumMemberKind, LocalDeclaration, TypeScriptFileFacts } from './design-type-files';

/**
 * What tsc writes as a property's `design:type`: a global constructor, `void 0`, or the name of a class in scope.
 * Null when the answer needs more than syntax and the files this pass reads (a package's types, `typeof x[keyof …]`):
 * SWC's own output is then kept.
 */
export type DesignType =
  | { readonly kind: 'global'; readonly name: GlobalConstructor }
  | { readonly kind: 'void' }
  | { readonly kind: 'class'; readonly name: string };

export type GlobalConstructor = 'String' | 'Number' | 'Boolean' | 'BigInt' | 'Symbol' | 'Object' | 'Array' | 'Function' | 'Promise';

/** Where a name is looked up: a file, and the type parameters in scope there with what they stand for. */
export interface NameScope {
  readonly facts: TypeScriptFileFacts;
  readonly typeParameters: ReadonlyMap<string, Bound | null>;
}

/** A type argument bound to a type parameter, with the scope its names belong to. */
export interface Bound {
  readonly type: TsType;
  readonly scope: NameScope;
}

/** A declaration found for a name, in the file that declares it, and whether the import that reached it was type-only. */
export interface ResolvedName {
  readonly declaration: LocalDeclaration;
  readonly facts: TypeScriptFileFacts;
  readonly typeOnly: boolean;
}

export interface SerializerContext {
  readonly strictNullChecks: boolean;
  /** A top-level name of a file, followed through imports and re-exports; null when it leaves the project's files. */
  resolve(facts: TypeScriptFileFacts, name: string): ResolvedName | null | 'global';
}

const OBJECT: DesignType = { kind: 'global', name: 'Object' };
const VOID: DesignType = { kind: 'void' };
const global = (name: GlobalConstructor): DesignType => ({ kind: 'global', name });

/** Global classes tsc names by themselves (their value and type are one symbol with a construct signature). */
const GLOBAL_CLASSES = new Set(['Date', 'Buffer', 'Map', 'Set', 'WeakMap', 'WeakSet', 'RegExp', 'Error', 'Array', 'Object', 'String', 'Number', 'Boolean', 'Function', 'Symbol', 'BigInt', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'URL', 'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Uint8ClampedArray']);

/** Global generic aliases whose declared type is a mapped or object type: tsc's kind for them is ObjectType. */
const GLOBAL_OBJECT_ALIASES = new Set(['Record', 'Partial', 'Required', 'Readonly', 'Pick', 'Omit']);

/**
 * tsc's `serializeTypeNode` (src/compiler/transformers/typeSerializer.ts): the annotation is read syntactically, and
 * a type reference is classified by what its name declares (the checker's getTypeReferenceSerializationKind).
 */
export function serializeTypeNode(node: TsType, scope: NameScope, context: SerializerContext): DesignType | null {
  switch (node.type) {
    case 'TsParenthesizedType':
      return serializeTypeNode(node.typeAnnotation, scope, context);
    case 'TsKeywordType':
      return serializeKeyword(node.kind);
    case 'TsFunctionType':
    case 'TsConstructorType':
      return global('Function');
    case 'TsArrayType':
    case 'TsTupleType':
      return global('Array');
    case 'TsTypePredicate':
      return node.asserts ? VOID : global('Boolean');
    case 'TsLiteralType':
      return serializeLiteral(node.literal.type);
    case 'TsTypeReference':
      return serializeTypeReference(node.typeName, scope, context);
    case 'TsUnionType':
      return serializeConstituents(node.types, false, scope, context);
    case 'TsIntersectionType':
      return serializeConstituents(node.types, true, scope, context);
    case 'TsConditionalType':
      return serializeConstituents([node.trueType, node.falseType], false, scope, context);
    case 'TsTypeOperator':
      return node.op === 'readonly' ? serializeTypeNode(node.typeAnnotation, scope, context) : OBJECT;
    default:
      return OBJECT;
  }
}

function serializeKeyword(kind: string): DesignType | null {
  switch (kind) {
    case 'void':
    case 'undefined':
    case 'never':
    case 'null':
      return VOID;
    case 'boolean':
      return global('Boolean');
    case 'string':
      return global('String');
    case 'number':
      return global('Number');
    case 'bigint':
      return global('BigInt');
    case 'symbol':
      return global('Symbol');
    case 'intrinsic':
      return null;
    default:
      return OBJECT;
  }
}

function serializeLiteral(literalType: string): DesignType {
  switch (literalType) {
    case 'StringLiteral':
    case 'TemplateLiteral':
      return global('String');
    case 'NumericLiteral':
      return global('Number');
    case 'BigIntLiteral':
      return global('BigInt');
    default:
      return global('Boolean');
  }
}

/** tsc's serializeUnionOrIntersectionConstituents: one common constructor, else Object. */
function serializeConstituents(types: readonly TsType[], isIntersection: boolean, scope: NameScope, context: SerializerContext): DesignType | null {
  let common: DesignType | undefined;
  for (const typeNode of types.map(skipParentheses)) {
    const keyword = typeNode.type === 'TsKeywordType' ? typeNode.kind : null;
    if (keyword === 'never') {
      if (isIntersection) return VOID;
      continue;
    }
    if (keyword === 'unknown') {
      if (!isIntersection) return OBJECT;
      continue;
    }
    if (keyword === 'any') return OBJECT;
    // Without strictNullChecks tsc drops null and undefined, as it did before strict null checks existed.
    if (!context.strictNullChecks && (keyword === 'null' || keyword === 'undefined')) continue;
    const serialized = serializeTypeNode(typeNode, scope, context);
    if (serialized === null) return null;
    if (serialized.kind === 'global' && serialized.name === 'Object') return OBJECT;
    if (common === undefined) common = serialized;
    else if (!sameDesignType(common, serialized)) return OBJECT;
  }
  return common ?? VOID;
}

function skipParentheses(node: TsType): TsType {
  return node.type === 'TsParenthesizedType' ? skipParentheses(node.typeAnnotation) : node;
}

function sameDesignType(left: DesignType, right: DesignType): boolean {
  if (left.kind === 'void' || right.kind === 'void') return left.kind === right.kind;
  return left.kind === right.kind && left.name === right.name;
}

function serializeTypeReference(typeName: TsEntityName, scope: NameScope, context: SerializerContext): DesignType | null {
  if (typeName.type === 'TsQualifiedName') return serializeEnumMember(typeName, scope, context);
  const name = typeName.value;
  if (scope.typeParameters.has(name)) return OBJECT;
  const resolved = context.resolve(scope.facts, name);
  if (resolved === 'global') return serializeGlobal(name);
  if (resolved === null) return null;
  const { declaration } = resolved;
  switch (declaration.kind) {
    case 'class':
      // A class imported with `import type` has no value at run time; tsc then writes Function.
      return resolved.typeOnly ? global('Function') : { kind: 'class', name };
    case 'interface':
      return OBJECT;
    case 'value':
      return null;
    case 'enum':
      return designTypeOfFacets(new Set(declaration.members.values()), context);
    case 'alias': {
      // tsc classifies the alias's declared type, with its own type parameters left unbound.
      const unbound = new Map(declaration.typeParameters.map((parameter) => [parameter.name, null] as const));
      const facets = typeFacets(declaration.type, { facts: resolved.facts, typeParameters: unbound }, context, new Set());
      return facets === null ? null : designTypeOfFacets(facets, context);
    }
  }
}

function serializeGlobal(name: string): DesignType | null {
  if (name === 'Promise') return global('Promise');
  if (GLOBAL_CLASSES.has(name)) return { kind: 'class', name };
  if (GLOBAL_OBJECT_ALIASES.has(name)) return OBJECT;
  return null;
}

/** `Status.Active` names an enum member, whose type is its literal. */
function serializeEnumMember(typeName: TsEntityName & { type: 'TsQualifiedName' }, scope: NameScope, context: SerializerContext): DesignType | null {
  const member = enumMemberKind(typeName, scope, context);
  return member === null ? null : designTypeOfFacets(new Set([member]), context);
}

function enumMemberKind(typeName: TsEntityName & { type: 'TsQualifiedName' }, scope: NameScope, context: SerializerContext): EnumMemberKind | null {
  if (typeName.left.type !== 'Identifier') return null;
  const resolved = context.resolve(scope.facts, typeName.left.value);
  if (resolved === null || resolved === 'global' || resolved.declaration.kind !== 'enum') return null;
  return resolved.declaration.members.get(typeName.right.value) ?? null;
}

/**
 * What values a type can hold, coarsely, for the checker's question "is this type assignable to string (number, …)?".
 * An empty set is `never`; null means the syntax does not say.
 */
type Facet = 'string' | 'number' | 'boolean' | 'bigint' | 'symbol' | 'null' | 'undefined' | 'void' | 'object' | 'array' | 'function' | 'any';

const NULLISH: ReadonlySet<Facet> = new Set(['null', 'undefined', 'void']);
const PRIMITIVES: ReadonlySet<Facet> = new Set(['string', 'number', 'boolean', 'bigint', 'symbol', 'null', 'undefined']);

/** The checker's getTypeReferenceSerializationKind, from the facets of the referenced type. */
function designTypeOfFacets(input: ReadonlySet<Facet>, context: SerializerContext): DesignType {
  if (input.has('any')) return OBJECT;
  if ([...input].every((facet) => NULLISH.has(facet))) return VOID;
  // Without strictNullChecks null and undefined are in every type, so `string | null` is just string.
  const facets = context.strictNullChecks ? input : new Set([...input].filter((facet) => facet !== 'null' && facet !== 'undefined'));
  if (facets.size !== 1) return OBJECT;
  const [only] = facets;
  const byFacet: Partial<Record<Facet, GlobalConstructor>> = { boolean: 'Boolean', number: 'Number', bigint: 'BigInt', string: 'String', array: 'Array', symbol: 'Symbol', function: 'Function' };
  return global(byFacet[only!] ?? 'Object');
}

function typeFacets(node: TsType, scope: NameScope, context: SerializerContext, seen: Set<TsType>): ReadonlySet<Facet> | null {
  switch (node.type) {
    case 'TsParenthesizedType':
    case 'TsOptionalType':
      return typeFacets(node.typeAnnotation, scope, context, seen);
    case 'TsKeywordType':
      return keywordFacets(node.kind);
    case 'TsLiteralType':
      return new Set([literalFacet(node.literal.type)]);
    case 'TsArrayType':
    case 'TsTupleType':
      return new Set(['array']);
    case 'TsFunctionType':
      return new Set(['function']);
    case 'TsConstructorType':
    case 'TsTypeLiteral':
    case 'TsMappedType':
    case 'TsThisType':
      return new Set(['object']);
    case 'TsTypeOperator':
      if (node.op === 'readonly') return typeFacets(node.typeAnnotation, scope, context, seen);
      return node.op === 'unique' ? new Set(['symbol']) : null;
    case 'TsUnionType':
      return unionFacets(node.types.map((type) => typeFacets(type, scope, context, seen)));
    case 'TsIntersectionType':
      return intersectionFacets(node.types.map((type) => typeFacets(type, scope, context, seen)));
    case 'TsTypeReference':
      return referenceFacets(node, scope, context, seen);
    default:
      return null;
  }
}

function keywordFacets(kind: string): ReadonlySet<Facet> | null {
  switch (kind) {
    case 'never':
      return new Set();
    case 'any':
    case 'unknown':
      return new Set(['any']);
    case 'intrinsic':
      return null;
    default:
      return new Set([kind as Facet]);
  }
}

function literalFacet(literalType: string): Facet {
  if (literalType === 'StringLiteral' || literalType === 'TemplateLiteral') return 'string';
  if (literalType === 'NumericLiteral') return 'number';
  return literalType === 'BigIntLiteral' ? 'bigint' : 'boolean';
}

function unionFacets(parts: readonly (ReadonlySet<Facet> | null)[]): ReadonlySet<Facet> | null {
  if (parts.some((part) => part === null)) return null;
  return new Set(parts.flatMap((part) => [...part!]));
}

/** `string & { __brand: 'Id' }` is a string; two different primitives meet in `never`. */
function intersectionFacets(parts: readonly (ReadonlySet<Facet> | null)[]): ReadonlySet<Facet> | null {
  if (parts.some((part) => part === null || part.size > 1)) return parts.some((part) => part?.size === 0) ? new Set() : null;
  const facets = parts.map((part) => [...part!][0]);
  if (facets.includes(undefined)) return new Set();
  if (facets.includes('any')) return new Set(['any']);
  const primitives = new Set(facets.filter((facet) => PRIMITIVES.has(facet!)));
  if (primitives.size > 1) return new Set();
  return primitives.size === 1 ? (primitives as Set<Facet>) : new Set(['object']);
}

function referenceFacets(node: TsType & { type: 'TsTypeReference' }, scope: NameScope, context: SerializerContext, seen: Set<TsType>): ReadonlySet<Facet> | null {
  const { typeName } = node;
  if (typeName.type === 'TsQualifiedName') {
    const member = enumMemberKind(typeName, scope, context);
    return member === null ? null : new Set([member]);
  }
  const name = typeName.value;
  const args = node.typeParams?.params ?? [];
  if (scope.typeParameters.has(name)) {
    const bound = scope.typeParameters.get(name);
    // An unbound type parameter is assignable to no primitive: the checker calls it an object type.
    return bound == null ? new Set(['object']) : typeFacets(bound.type, bound.scope, context, seen);
  }
  const resolved = context.resolve(scope.facts, name);
  if (resolved === 'global') return globalFacets(name, args, scope, context, seen);
  if (resolved === null) return null;
  const { declaration } = resolved;
  switch (declaration.kind) {
    case 'class':
    case 'interface':
      return new Set(['object']);
    case 'value':
      return null;
    case 'enum':
      return new Set(declaration.members.values());
    case 'alias': {
      if (seen.has(declaration.type)) return null;
      const typeParameters = new Map<string, Bound | null>();
      declaration.typeParameters.forEach((parameter, index) => {
        const argument = args[index];
        if (argument !== undefined) typeParameters.set(parameter.name, { type: argument, scope });
        else if (parameter.defaultType !== undefined) typeParameters.set(parameter.name, { type: parameter.defaultType, scope: { facts: resolved.facts, typeParameters: new Map() } });
        else typeParameters.set(parameter.name, null);
      });
      seen.add(declaration.type);
      const facets = typeFacets(declaration.type, { facts: resolved.facts, typeParameters }, context, seen);
      seen.delete(declaration.type);
      return facets;
    }
  }
}

function globalFacets(name: string, args: readonly TsType[], scope: NameScope, context: SerializerContext, seen: Set<TsType>): ReadonlySet<Facet> | null {
  if (name === 'Array' || name === 'ReadonlyArray') return new Set(['array']);
  if (name === 'Uppercase' || name === 'Lowercase' || name === 'Capitalize' || name === 'Uncapitalize') return new Set(['string']);
  if (name === 'NonNullable' && args[0] !== undefined) {
    const facets = typeFacets(args[0], scope, context, seen);
    return facets === null ? null : new Set([...facets].filter((facet) => !NULLISH.has(facet) || facet === 'void'));
  }
  if (GLOBAL_CLASSES.has(name) || GLOBAL_OBJECT_ALIASES.has(name) || name === 'Promise') return new Set(['object']);
  return null;
}
