import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { LlmProvider } from './llm-provider';
import { Tenant } from './tenant';

/** A configured endpoint of a provider (own API key, region or base URL override), optionally owned by a tenant. */
@Entity('provider_instances')
export class ProviderInstance {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => LlmProvider, (provider) => provider.instances, { nullable: false, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'provider_id' })
  provider!: Relation<LlmProvider>;

  @ManyToOne(() => Tenant, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant!: Relation<Tenant> | null;

  @Column()
  label!: string;

  @Index()
  @Column({ type: 'varchar', length: 32, nullable: true })
  region!: string | null;

  @Column({ name: 'base_url_override', type: 'varchar', length: 2048, nullable: true })
  baseUrlOverride!: string | null;

  // Only a reference into the secret store, never the key itself.
  @Column({ name: 'api_key_ref', type: 'varchar', length: 200, nullable: true })
  apiKeyRef!: string | null;

  @Column({ default: true })
  enabled!: boolean;
}
