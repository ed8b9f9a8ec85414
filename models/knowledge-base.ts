import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { Document } from './document';
import { timestampColumnType } from './support/column-types';
import { Tenant } from './tenant';
import { User } from './user';

/** A collection of documents that chats can retrieve from; its members are the users allowed to use it. */
@Entity('knowledge_bases')
@Index(['tenant', 'name'], { unique: true })
export class KnowledgeBase {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => Tenant, (tenant) => tenant.knowledgeBases, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant!: Relation<Tenant>;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @ManyToMany(() => User, (user) => user.knowledgeBases)
  @JoinTable({
    name: 'knowledge_base_members',
    joinColumn: { name: 'knowledge_base_id', referencedColumnName: 'id' },
    inverseJoinColumn: { name: 'user_id', referencedColumnName: 'id' },
  })
  members!: Relation<User[]>;

  @OneToMany(() => Document, (document) => document.knowledgeBase)
  documents!: Relation<Document[]>;

  @CreateDateColumn({ name: 'created_at', type: timestampColumnType() })
  createdAt!: Date;
}
