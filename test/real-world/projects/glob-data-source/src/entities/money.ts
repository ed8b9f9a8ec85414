import type { ValueTransformer } from 'typeorm';

/** Imported by an entity, matched by no entity glob: the build still needs it. */
export const cents: ValueTransformer = {
  to: (value: number | null) => (value === null ? null : Math.round(value * 100)),
  from: (value: number | null) => (value === null ? null : value / 100),
};
