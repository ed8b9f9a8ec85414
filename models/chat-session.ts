import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { ChatMessage } from './chat-message';
import { KnowledgeBase } from './knowledge-base';
import { LlmModel } from './llm-model';
import { timestampColumnType } from './support/column-types';
import { TokenUsage } from './token-usage';
import { User } from './user';

/** A conversation of one user, optionally grounded in a knowledge base, answered by one model. */
@Entity('chat_sessions')
export class ChatSession {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @ManyToOne(() => User, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user!: Relation<User>;

  @ManyToOne(() => KnowledgeBase, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'knowledge_base_id' })
  knowledgeBase!: Relation<KnowledgeBase> | null;

  @ManyToOne(() => LlmModel, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'model_id' })
  model!: Relation<LlmModel> | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  title!: string | null;

  // Running totals over the session's messages.
  @Column(() => TokenUsage)
  usage!: TokenUsage;

  @CreateDateColumn({ name: 'created_at', type: timestampColumnType() })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: timestampColumnType() })
  updatedAt!: Date;

  @OneToMany(() => ChatMessage, (message) => message.session)
  messages!: Relation<ChatMessage[]>;
}
