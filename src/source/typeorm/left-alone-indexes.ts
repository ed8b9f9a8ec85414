import type { EntityMetadata } from 'typeorm';
import type { LeftAloneIndexes } from '../../diff/unmanaged-indexes';
import type { Dialect } from '../../model/schema';
import { ownSchema } from './own-schema';

/**
 * The indexes TypeORM never creates, alters or drops, by its own rules: those marked `@Index(…, { synchronize: false })`
 * (hand-made GIN, trigram or expression indexes, usually) and every index of an `@Entity({ synchronize: false })`.
 * The diff leaves indexes of these names alone in the database, and reports them once as not managed by the models.
 */
export function leftAloneIndexesOf(metadatas: readonly EntityMetadata[], dialect: Dialect, defaultSchema: string | null): LeftAloneIndexes[] {
  return metadatas.flatMap((metadata): LeftAloneIndexes[] => {
    const table = { schema: ownSchema(metadata, dialect, defaultSchema), name: metadata.tableName };
    const entity = metadata.targetName || metadata.tableName;
    if (!metadata.synchronize) return [{ table, names: null, why: `@Entity({ synchronize: false }) on ${entity}` }];
    const names = metadata.indices.filter((index) => !index.synchronize).map((index) => index.name);
    return names.length === 0 ? [] : [{ table, names, why: `@Index({ synchronize: false }) on ${entity}` }];
  });
}
