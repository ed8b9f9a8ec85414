import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
// esModuleInterop is not set and `module` is commonjs: TypeScript 5 then compiles `import * as` to a plain require(),
// so the package's inherited methods are there, as they are for the project's own tsc build (an interop helper that
// copies own properties would make `lengthOf` undefined, and the file would not load).
import * as limits from 'legacy-limits';

@Entity('parcels')
export class Parcel {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: limits.lengthOf('trackingCode') })
  label: string;

  @Column({ length: limits.lengthOf('carrierName'), default: limits.defaultCarrier, nullable: true })
  courier: string | null;
}
