import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// The same composite index declared twice on one entity (once beside the access rules, once beside the table
// metadata): TypeORM names both alike and its synchronize() creates the second over the first.
@Index(['deviceId', 'startsAt'])
@Index(['deviceId', 'projectId', 'startsAt'])
@Entity('status_timeline')
@Index(['deviceId', 'startsAt'])
export class StatusTimeline {
  @PrimaryGeneratedColumn()
  id: number;

  @Index()
  @Column()
  deviceId: number;

  @Column()
  projectId: number;

  @Column({ type: 'timestamp' })
  startsAt: Date;
}
