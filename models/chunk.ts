import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { Document } from './document';
import { embeddingColumnOptions } from './support/column-types';

/** Dimensions of the embedding model the product uses. */
export const EMBEDDING_DIMENSIONS = 768;

/** A retrievable slice of a document with its embedding; `position` orders the slices within the document. */
@Entity('chunks')
// An hnsw index with an operator class and storage parameters is more than @Index can say: schema-sync.json declares
// it, and `synchronize: false` tells TypeORM's own synchronize() to leave it alone.
@Index('idx_chunks_embedding_hnsw', { synchronize: false })
@Unique('uq_chunks_document_position', ['document', 'position'])
export class Chunk {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @ManyToOne(() => Document, (document) => document.chunks, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'document_id' })
  document!: Relation<Document>;

  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'text' })
  text!: string;

  @Column({ name: 'token_count', type: 'int' })
  tokenCount!: number;

  // vector(768) on PostgreSQL, json on MySQL/MariaDB: see support/column-types.ts.
  @Column({ ...embeddingColumnOptions(EMBEDDING_DIMENSIONS), nullable: true })
  embedding!: number[] | null;
}
