/** Verification statistics: the ministry's funnel per facility, province and nation. */
export { funnelStats } from './funnel-stats.js';
export type { FunnelCounts, FunnelGroupBy, FunnelQuery, FunnelReport, FunnelRow } from './funnel-stats.js';
