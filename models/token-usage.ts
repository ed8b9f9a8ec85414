import { Column } from 'typeorm';

/**
 * Token counts of one LLM call or a running total, embedded with `@Column(() => TokenUsage)`.
 * TypeORM's default naming strategy prefixes the columns with the property name: `usage: TokenUsage` gives
 * `usagePrompt` and `usageCompletion`. (It title-cases the rest of the name, lower-casing it: a property named
 * `promptTokens` would become `usagePrompttokens`, which is why these properties are one word.)
 */
export class TokenUsage {
  @Column({ type: 'int', default: 0 })
  prompt!: number;

  @Column({ type: 'int', default: 0 })
  completion!: number;
}
