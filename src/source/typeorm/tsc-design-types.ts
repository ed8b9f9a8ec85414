import type { TypeormRuntime } from './typeorm-runtime';

/**
 * Makes the column types TypeORM inferred from `design:type` what they would be had tsc compiled the models.
 *
 * For `@Column() role: Role` with `Role` an enum, tsc emits `String` (string enum) or `Number` (numeric enum) as the
 * design type, since it knows the enum's members; SWC transpiles one file at a time without types and emits the enum
 * object itself, which TypeORM then rejects ("Data type "Object" ... is not supported"). An object is never a valid
 * column type, so every one left in the decorator arguments is an enum (or const object) SWC passed through.
 */
export function designTypesAsTscEmits(runtime: TypeormRuntime): void {
  for (const column of runtime.typeorm.getMetadataArgsStorage().columns) {
    const options = column.options as { type?: unknown };
    if (typeof options.type === 'object' && options.type !== null) options.type = tscDesignType(options.type);
  }
}

function tscDesignType(enumObject: object): StringConstructor | NumberConstructor | ObjectConstructor {
  const entries = Object.entries(enumObject);
  if (entries.length > 0 && entries.every(([, value]) => typeof value === 'string')) {
    return String;
  }
  // A numeric enum also maps each number back to its name: those string values are bookkeeping, not members.
  const numberNames = new Set(entries.filter(([, value]) => typeof value === 'number').map(([key]) => key));
  const members = entries.filter(([key, value]) => !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(key) && numberNames.has(value)));
  if (members.length > 0 && members.every(([, value]) => typeof value === 'number')) return Number;
  return Object;
}
