import { Column, Entity, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { LlmModel } from './llm-model';
import { ProviderInstance } from './provider-instance';
import { jsonColumnType } from './support/column-types';

/** An LLM vendor or self-hosted API flavour (OpenAI-compatible, Anthropic, Ollama …). */
@Entity('llm_providers')
export class LlmProvider {
  @PrimaryGeneratedColumn('increment')
  id!: number;

  @Column({ type: 'varchar', length: 64, unique: true })
  name!: string;

  @Column({ name: 'api_base_url', type: 'varchar', length: 2048 })
  apiBaseUrl!: string;

  // The default is the string '{}': an object default ({}) breaks CREATE TABLE on MariaDB, and a function default
  // (() => "'{}'::jsonb") makes TypeORM report a change on every run on PostgreSQL (see models/README.md).
  @Column({ type: jsonColumnType(), default: '{}' })
  config!: Record<string, unknown>;

  @OneToMany(() => ProviderInstance, (instance) => instance.provider)
  instances!: Relation<ProviderInstance[]>;

  @OneToMany(() => LlmModel, (model) => model.provider)
  models!: Relation<LlmModel[]>;
}
