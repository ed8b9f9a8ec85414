import { POOL_LABEL, type DatabaseFactory, type ThrowawayDatabase } from './throwaway-database';

/** What the pool needs of a factory. */
export type DatabaseMaker = Pick<DatabaseFactory, 'create'>;

/**
 * Throwaway databases created ahead of need. CREATE DATABASE takes 0.3 s on an idle PostgreSQL 15 here and a round
 * trip needs four per scenario (TypeORM's, the round trip's, and the shadows of sync's verification and of rollback's
 * guard): made while the scenarios before run, they are ready when a scenario starts. At most `ahead` databases wait
 * (or are being made) at a time, at most `parallel` CREATEs run at once, and never more than `total` are made in all.
 * The pool remembers every database it made until it is dropped, so a stopped run can drop them all (dropAll).
 */
export class DatabasePool {
  private readonly waiting: Promise<ThrowawayDatabase>[] = [];
  /** The CREATEs running. */
  private readonly creating = new Set<Promise<ThrowawayDatabase>>();
  /** Every database made, taken or not, until it is dropped. */
  private readonly live = new Set<ThrowawayDatabase>();
  private made = 0;
  private running = 0;
  private stopped = false;
  private readonly queued: (() => void)[] = [];

  constructor(
    private readonly factory: DatabaseMaker,
    private readonly ahead: number,
    private readonly parallel: number,
    private readonly total: number,
  ) {
    this.fill();
  }

  /** A new, empty database: one made ahead if there is one (its creation may still be finishing), else one made now. */
  take(): Promise<ThrowawayDatabase> {
    const next = this.waiting.shift() ?? this.make();
    this.fill();
    return next;
  }

  /** Drops the databases no scenario took. */
  async close(): Promise<void> {
    const left = this.waiting.splice(0);
    await Promise.all(left.map((database) => database.then((made) => made.drop()).catch(() => undefined)));
  }

  /**
   * Drops every database the pool made and nobody dropped yet, the taken ones too (their scenarios are being stopped),
   * and those whose CREATE is still running once it ends; makes no more after. For a run that is interrupted.
   */
  async dropAll(): Promise<void> {
    this.stopped = true;
    for (const release of this.queued.splice(0)) release();
    await Promise.allSettled([...this.creating]);
    await Promise.all([...this.live].map((database) => database.drop().catch(() => undefined)));
  }

  private fill(): void {
    while (!this.stopped && this.waiting.length < this.ahead && this.made < this.total) {
      const database = this.make();
      // A failed creation surfaces at take(); until then it must not count as an unhandled rejection.
      database.catch(() => undefined);
      this.waiting.push(database);
    }
  }

  private async make(): Promise<ThrowawayDatabase> {
    this.made++;
    if (this.running >= this.parallel) await new Promise<void>((resolve) => this.queued.push(resolve));
    if (this.stopped) throw new Error('the run is stopping: no more databases are made');
    this.running++;
    const creating = this.factory.create(POOL_LABEL);
    this.creating.add(creating);
    try {
      return this.remembered(await creating);
    } finally {
      this.creating.delete(creating);
      this.running--;
      this.queued.shift()?.();
    }
  }

  /** The database, remembered until its drop, which runs once (a scenario's and dropAll's share it). */
  private remembered(made: ThrowawayDatabase): ThrowawayDatabase {
    let dropping: Promise<void> | null = null;
    const database: ThrowawayDatabase = {
      location: made.location,
      drop: () => (dropping ??= made.drop().then(() => void this.live.delete(database))),
    };
    this.live.add(database);
    return database;
  }
}
