// Provisioning activity over time for the Status page: log entries counted per minute.

export interface Bucket {
  start: number;  // ms since the epoch, the minute's start
  success: number;
  failure: number; // failures and retries
}

const MINUTE = 60_000;

// The last `minutes` whole minutes up to and including `now`'s, oldest first. Entries outside
// that window are ignored; statuses other than success count as failures ("failure",
// "retrying").
export function bucketByMinute(entries: { at: string; status: string }[], now: number, minutes: number): Bucket[] {
  const last = Math.floor(now / MINUTE) * MINUTE;
  const first = last - (minutes - 1) * MINUTE;
  const buckets: Bucket[] = [];
  for (let i = 0; i < minutes; i++) buckets.push({ start: first + i * MINUTE, success: 0, failure: 0 });
  for (const e of entries) {
    const t = Date.parse(e.at);
    if (Number.isNaN(t) || t < first || t >= last + MINUTE) continue;
    const b = buckets[Math.floor((t - first) / MINUTE)];
    if (e.status === 'success') b.success++;
    else if (e.status !== 'skipped') b.failure++;
  }
  return buckets;
}

// Actions per minute over the last `n` buckets.
export function ratePerMinute(buckets: Bucket[], n: number): number {
  const tail = buckets.slice(-n);
  if (!tail.length) return 0;
  const sum = tail.reduce((s, b) => s + b.success + b.failure, 0);
  return Math.round((sum / tail.length) * 10) / 10;
}
