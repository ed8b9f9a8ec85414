import * as path from 'node:path';
import type { MigrationContext } from '../migrations/context';
import { registerTypeScript } from '../source/typeorm/register-typescript';
import { SchemaSyncError, messageOf } from '../util/errors';
import type { MigrationFile } from './migration-files';

/** A migration module's functions. */
export interface LoadedMigration {
  readonly migrate: (db: MigrationContext) => Promise<void>;
  readonly rollback: (db: MigrationContext) => Promise<void>;
  /** The dialect the file says its SQL is for, when it says. */
  readonly dialect: string | null;
}

/** Loads a migration file as TypeScript at run time (no build step); a bad file is an error naming it. */
export function loadMigration(file: MigrationFile, projectDir: string): LoadedMigration {
  return loadMigrationModule(file.path, projectDir);
}

/** Loads a migration module by its path: `lint` reads files that need not live in a release folder. */
export function loadMigrationModule(filePath: string, projectDir: string): LoadedMigration {
  const file = { path: filePath };
  registerTypeScript(projectDir);
  const where = path.relative(projectDir, file.path) || file.path;
  let loaded: Record<string, unknown>;
  try {
    // Fresh on every load: the applier verified this exact content's checksum.
    delete require.cache[require.resolve(file.path)];
    loaded = require(file.path) as Record<string, unknown>;
  } catch (error) {
    throw new SchemaSyncError('MIGRATION_FAILED', `Cannot load migration ${where}: ${messageOf(error).split('\n')[0]}`, { cause: error });
  }
  const { migrate, rollback, dialect } = loaded;
  if (typeof migrate !== 'function' || typeof rollback !== 'function') {
    throw new SchemaSyncError('MIGRATION_FAILED', `Migration ${where} must export async functions migrate(db) and rollback(db)`);
  }
  return {
    migrate: migrate as LoadedMigration['migrate'],
    rollback: rollback as LoadedMigration['rollback'],
    dialect: typeof dialect === 'string' ? dialect : null,
  };
}
