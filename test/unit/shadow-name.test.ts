/** Shadow database names carry their creation time and pid; only old shadows without a session count as left behind. */
import { newShadowName, shadowCreatedAt, staleShadowMinutes, staleShadows } from '../../src/verify/shadow-name';

describe('shadow names', () => {
  const now = new Date('2026-12-05T12:00:00Z');
  it('carry the time and pid, and the time reads back', () => {
    const name = newShadowName(now, 4242);
    expect(name).toMatch(/^schema_sync_shadow_1796472000_4242_[0-9a-f]{6}$/);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(shadowCreatedAt(name)).toEqual(now);
    expect(shadowCreatedAt('schema_sync_shadow_0123456789')).toBeNull();
  });

  it('are stale only when old enough and nobody is connected', () => {
    const old = newShadowName(new Date(now.getTime() - 11 * 60_000), 1);
    const young = newShadowName(new Date(now.getTime() - 60_000), 2);
    const shadows = [
      { name: old, connections: 0 },
      { name: newShadowName(new Date(now.getTime() - 3_600_000), 3), connections: 1 },
      { name: young, connections: 0 },
      { name: 'schema_sync_shadow_a1b2c3d4e5', connections: 0 },
    ];
    expect(staleShadows(shadows, now, 10)).toEqual([old]);
    expect(staleShadows(shadows, now, 0)).toEqual([old, young]);
    expect([staleShadowMinutes({}), staleShadowMinutes({ SCHEMA_SYNC_STALE_SHADOW_MINUTES: '0' }), staleShadowMinutes({ SCHEMA_SYNC_STALE_SHADOW_MINUTES: 'x' })]).toEqual([10, 0, 10]);
  });
});
