import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { LlmProvider } from './llm-provider';

/** A model a provider serves, with its context window and list price; names are unique per provider. */
@Entity('llm_models')
@Unique(['provider', 'name'])
export class LlmModel {
  @PrimaryGeneratedColumn('increment')
  id!: number;

  @ManyToOne(() => LlmProvider, (provider) => provider.models, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider!: Relation<LlmProvider>;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ name: 'context_window', type: 'int' })
  contextWindow!: number;

  // decimal comes back from both drivers as a string.
  @Column({ name: 'price_per_1k_tokens', type: 'decimal', precision: 10, scale: 4 })
  pricePer1kTokens!: string;

  @Column({ name: 'supports_tools', default: false })
  supportsTools!: boolean;
}
