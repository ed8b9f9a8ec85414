import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { ChatSession } from './chat-session';
import { timestampColumnType } from './support/column-types';
import { TokenUsage } from './token-usage';

/** Who wrote a message. */
export enum MessageRole {
  User = 'user',
  Assistant = 'assistant',
  System = 'system',
  Tool = 'tool',
}

/** One message of a session; messages form a tree (regenerated answers and edits branch from a parent). */
@Entity('chat_messages')
export class ChatMessage {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @ManyToOne(() => ChatSession, (session) => session.messages, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session!: Relation<ChatSession>;

  @ManyToOne(() => ChatMessage, (message) => message.children, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'parent_id' })
  parent!: Relation<ChatMessage> | null;

  @OneToMany(() => ChatMessage, (message) => message.parent)
  children!: Relation<ChatMessage[]>;

  @Column({ type: 'enum', enum: MessageRole, enumName: 'chat_message_role' })
  role!: MessageRole;

  @Column({ type: 'text' })
  content!: string;

  @Column(() => TokenUsage)
  usage!: TokenUsage;

  @Column({ name: 'latency_ms', type: 'int', nullable: true })
  latencyMs!: number | null;

  @CreateDateColumn({ name: 'created_at', type: timestampColumnType() })
  createdAt!: Date;
}
