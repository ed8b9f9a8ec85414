import { EntitySchema } from 'typeorm';

/** TypeORM's decorator-free API: a plain object describing the table. */
export interface AuditEntry {
  id: number;
  action: string;
  happenedAt: Date;
}

export const AuditEntrySchema = new EntitySchema<AuditEntry>({
  name: 'AuditEntry',
  tableName: 'audit_entries',
  columns: {
    id: { type: Number, primary: true, generated: 'increment' },
    action: { type: String, length: 50 },
    happenedAt: { type: Date, createDate: true, name: 'happened_at' },
  },
  indices: [{ name: 'idx_audit_entries_action', columns: ['action'] }],
});
