import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
  type Relation,
} from 'typeorm';
import { Chunk } from './chunk';
import { KnowledgeBase } from './knowledge-base';
import { jsonColumnType, timestampColumnType } from './support/column-types';

/** Where a document is in the ingestion pipeline. */
export enum DocumentStatus {
  Pending = 'pending',
  Processing = 'processing',
  Ready = 'ready',
  Failed = 'failed',
}

/** An uploaded file of a knowledge base; soft-deleted, optimistic-locked, split into chunks for retrieval. */
@Entity('documents')
export class Document {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => KnowledgeBase, (knowledgeBase) => knowledgeBase.documents, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'knowledge_base_id' })
  knowledgeBase!: Relation<KnowledgeBase>;

  // 512 characters stays under MariaDB's 3072-byte index key limit in utf8mb4.
  @Column({ name: 'file_path', type: 'varchar', length: 512, unique: true })
  filePath!: string;

  @Column()
  title!: string;

  @Column({ name: 'mime_type', type: 'varchar', length: 127 })
  mimeType!: string;

  // bigint comes back from both drivers as a string.
  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes!: string;

  @Index('idx_documents_content_hash')
  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash!: string;

  // Free-form facts from the parser (page count, language …); null until the document is parsed.
  @Column({ type: jsonColumnType(), nullable: true })
  metadata!: Record<string, unknown> | null;

  @Column({ type: 'enum', enum: DocumentStatus, default: DocumentStatus.Pending })
  status!: DocumentStatus;

  @CreateDateColumn({ name: 'created_at', type: timestampColumnType() })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: timestampColumnType() })
  updatedAt!: Date;

  @DeleteDateColumn({ name: 'deleted_at', type: timestampColumnType() })
  deletedAt!: Date | null;

  @VersionColumn()
  version!: number;

  @OneToMany(() => Chunk, (chunk) => chunk.document)
  chunks!: Relation<Chunk[]>;
}
