import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { KnowledgeBase } from './knowledge-base';
import { timestampColumnType } from './support/column-types';
import { User } from './user';

/** A customer organisation; every other row belongs to one, directly or through its parent. */
@Entity('tenants')
export class Tenant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  // Type inferred from decorator metadata: varchar(255).
  @Column()
  name!: string;

  @Column({ type: 'varchar', length: 63, unique: true })
  slug!: string;

  @Column({ type: 'varchar', length: 16, default: 'free' })
  plan!: string;

  @CreateDateColumn({ name: 'created_at', type: timestampColumnType() })
  createdAt!: Date;

  @OneToMany(() => User, (user) => user.tenant)
  users!: Relation<User[]>;

  @OneToMany(() => KnowledgeBase, (knowledgeBase) => knowledgeBase.tenant)
  knowledgeBases!: Relation<KnowledgeBase[]>;
}
