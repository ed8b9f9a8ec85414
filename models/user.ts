import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToMany,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  type Relation,
} from 'typeorm';
import { KnowledgeBase } from './knowledge-base';
import { timestampColumnType } from './support/column-types';
import { Tenant } from './tenant';

/** A person who signs in; the same e-mail address may exist once per tenant. */
@Entity('users')
@Unique('uq_users_tenant_email', ['tenant', 'email'])
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => Tenant, (tenant) => tenant.users, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant!: Relation<Tenant>;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ name: 'display_name', nullable: true, type: 'varchar', length: 120 })
  displayName!: string | null;

  // Type inferred from decorator metadata: boolean.
  @Column({ name: 'is_admin', default: false })
  isAdmin!: boolean;

  @Column({ name: 'last_seen_at', type: timestampColumnType(), nullable: true })
  lastSeenAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: timestampColumnType() })
  createdAt!: Date;

  @ManyToMany(() => KnowledgeBase, (knowledgeBase) => knowledgeBase.members)
  knowledgeBases!: Relation<KnowledgeBase[]>;
}
