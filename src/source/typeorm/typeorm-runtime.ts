import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TypeormModule from 'typeorm';
import type { ConnectionMetadataBuilder } from 'typeorm/connection/ConnectionMetadataBuilder.js';
import type { EntityMetadataBuilder } from 'typeorm/metadata-builder/EntityMetadataBuilder.js';
import type { EntityMetadataValidator } from 'typeorm/metadata-builder/EntityMetadataValidator.js';
import type { Table } from 'typeorm/schema-builder/table/Table.js';

/**
 * The TypeORM classes the loader needs, taken from the TypeORM the user's project has installed.
 * Generated index, unique and foreign key names are hashed differently by TypeORM versions, so expected names must
 * come from the user's own copy, never from ours (see FACTS.md).
 */
export interface TypeormRuntime {
  readonly typeorm: typeof TypeormModule;
  readonly ConnectionMetadataBuilder: typeof ConnectionMetadataBuilder;
  readonly EntityMetadataBuilder: typeof EntityMetadataBuilder;
  readonly EntityMetadataValidator: typeof EntityMetadataValidator;
  readonly Table: typeof Table;
  /** Where the module was found, for `doctor` and error messages. */
  readonly location: string;
}

const cache = new Map<string, TypeormRuntime>();

/** Resolves TypeORM from the project directory first, falling back to the copy this tool ships with. */
export function loadTypeormRuntime(projectDir: string): TypeormRuntime {
  const paths = [projectDir, __dirname];
  const main = require.resolve('typeorm', { paths });
  const cached = cache.get(main);
  if (cached !== undefined) return cached;
  // By path inside the package `main` belongs to, not by the name `typeorm`: where the project's typeorm is an npm
  // alias (`"typeorm": "npm:typeorm@0.3.x"` beside another typeorm, or a symlink), the name found from the package's
  // real folder is the other copy, and its metadata builders (1.x beside 0.3.x) differ in defaults.
  const packageDir = packageFolderOf(main);
  const resolveSub = (sub: string): unknown => require(require.resolve(path.join(packageDir, sub)));
  const runtime: TypeormRuntime = {
    typeorm: require(main) as typeof TypeormModule,
    ConnectionMetadataBuilder: (resolveSub('connection/ConnectionMetadataBuilder') as { ConnectionMetadataBuilder: typeof ConnectionMetadataBuilder })
      .ConnectionMetadataBuilder,
    EntityMetadataBuilder: (resolveSub('metadata-builder/EntityMetadataBuilder') as { EntityMetadataBuilder: typeof EntityMetadataBuilder })
      .EntityMetadataBuilder,
    EntityMetadataValidator: (resolveSub('metadata-builder/EntityMetadataValidator') as { EntityMetadataValidator: typeof EntityMetadataValidator })
      .EntityMetadataValidator,
    Table: (resolveSub('schema-builder/table/Table') as { Table: typeof Table }).Table,
    location: main,
  };
  cache.set(main, runtime);
  return runtime;
}

/** The folder of the package.json nearest above `file`: the installed package's root. */
function packageFolderOf(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(file);
  }
}
