import { defineSuite } from 'crucible';

/**
 * The game day: every chaos scenario against one platform, one after the other (about 12 minutes).
 * Each scenario states the verdict the reference platform must reach; the suite fails if any does not.
 */
export default defineSuite({
  name: 'game-day',
  description:
    'Redis latency and failover, a gateway replica killed three times, auth down, PostgreSQL restarted, an edge partition, a slow upstream, a starved link.',
  scenarios: [
    '../chaos/redis-latency.ts',
    '../chaos/redis-failover.ts',
    '../chaos/gateway-replica-kill.ts',
    '../chaos/auth-outage.ts',
    '../chaos/postgres-restart.ts',
    '../chaos/edge-partition.ts',
    '../chaos/slow-upstream.ts',
    '../chaos/bandwidth-starvation.ts',
  ],
});
