import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { Document } from './document';
import { timestampColumnType } from './support/column-types';

/** The state of a background job. */
export enum JobStatus {
  Queued = 'queued',
  Running = 'running',
  Succeeded = 'succeeded',
  Failed = 'failed',
}

/** A background ingestion step (parse, chunk, embed) for a document; workers poll by (status, created_at). */
@Entity('processing_jobs')
@Index('idx_processing_jobs_status_created_at', ['status', 'createdAt'])
export class ProcessingJob {
  @PrimaryGeneratedColumn('increment')
  id!: number;

  @ManyToOne(() => Document, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'document_id' })
  document!: Relation<Document>;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ type: 'enum', enum: JobStatus, default: JobStatus.Queued })
  status!: JobStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'started_at', type: timestampColumnType(), nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: timestampColumnType(), nullable: true })
  finishedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: timestampColumnType() })
  createdAt!: Date;
}
