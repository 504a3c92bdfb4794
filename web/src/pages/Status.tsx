// Status: the engine's queue and each application's counts (GET /status, every 3 seconds),
// and provisioning activity over the last hour from the provisioning log, as a small chart.
import { useEffect, useState } from 'react';
import { api, type EngineStatus, type LogEntry } from '../api';
import { Empty, ErrorMessage, Link, StateBadge } from '../components/ui';
import { describeError } from '../errors';
import { bucketByMinute, ratePerMinute, type Bucket } from '../stats';

function usePoll<T>(fn: () => Promise<T>, ms: number): { data?: T; error: string | null } {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const tick = async () => {
      try {
        const d = await fn();
        if (live) { setData(d); setError(null); }
      } catch (e) {
        if (live) setError(describeError(e));
      }
    };
    void tick();
    const h = setInterval(tick, ms);
    return () => { live = false; clearInterval(h); };
  }, [ms]); // eslint-disable-line react-hooks/exhaustive-deps
  return { data, error };
}

// One bar per minute: successes stacked under failures. Plain SVG, no library.
function ActivityChart({ buckets }: { buckets: Bucket[] }) {
  const w = 720, h = 140, pad = 20;
  const max = Math.max(1, ...buckets.map((b) => b.success + b.failure));
  const bw = (w - pad) / buckets.length;
  const y = (n: number) => ((h - pad) * n) / max;
  const total = buckets.reduce((s, b) => s + b.success + b.failure, 0);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`Provisioning actions per minute over the last hour: ${total} in all, at most ${max} in a minute`}>
        <line x1={pad} y1={h - pad} x2={w} y2={h - pad} stroke="#b9c2d0" />
        <text x={0} y={12} fontSize="10" fill="#5b6576">{max}</text>
        <text x={0} y={h - pad} fontSize="10" fill="#5b6576">0</text>
        {buckets.map((b, i) => (
          <g key={b.start}>
            <title>{`${new Date(b.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${b.success} succeeded, ${b.failure} failed`}</title>
            <rect x={pad + i * bw + 1} y={h - pad - y(b.success)} width={Math.max(1, bw - 2)} height={y(b.success)} fill="#15803d" />
            <rect x={pad + i * bw + 1} y={h - pad - y(b.success) - y(b.failure)} width={Math.max(1, bw - 2)} height={y(b.failure)} fill="#b42318" />
          </g>
        ))}
        <text x={pad} y={h - 4} fontSize="10" fill="#5b6576">60 min ago</text>
        <text x={w - 30} y={h - 4} fontSize="10" fill="#5b6576">now</text>
      </svg>
      <figcaption className="muted">Actions per minute, last hour: <span className="legend-ok">■</span> succeeded <span className="legend-bad">■</span> failed or retrying</figcaption>
    </figure>
  );
}

export function StatusPage() {
  const status = usePoll(() => api<EngineStatus>('GET', '/status'), 3000);
  const log = usePoll(() => api<{ entries: LogEntry[] }>('GET', '/provisioning-log?limit=1000'), 10000);
  const buckets = bucketByMinute(log.data?.entries ?? [], Date.now(), 60);
  const failuresLastHour = buckets.reduce((s, b) => s + b.failure, 0);
  const s = status.data;
  return (
    <section aria-labelledby="status-title">
      <h1 id="status-title">Status</h1>
      <p className="muted">Refreshed every 3 seconds.</p>
      <ErrorMessage error={status.error ?? log.error} />
      {s && (
        <div className="card">
          <dl className="stats" data-testid="engine-stats">
            <div><dt>Engine</dt><dd>{s.running ? 'running' : 'stopped'}</dd></div>
            <div><dt>Queued</dt><dd>{s.queue_depth}</dd></div>
            <div><dt>In flight</dt><dd>{s.in_flight}</dd></div>
            <div><dt>Dead letters</dt><dd>{s.dead_letters}</dd></div>
            <div><dt>Actions / min (5 min)</dt><dd>{ratePerMinute(buckets, 5)}</dd></div>
            <div><dt>Failures (1 h)</dt><dd>{failuresLastHour}</dd></div>
          </dl>
          {log.data && <ActivityChart buckets={buckets} />}
        </div>
      )}
      {s && s.applications.length === 0 && <Empty>No applications yet.</Empty>}
      {s && s.applications.length > 0 && (
        <table data-testid="status-applications">
          <thead><tr><th scope="col">Application</th><th scope="col">State</th><th scope="col">Queued</th><th scope="col">In flight</th><th scope="col">Succeeded</th><th scope="col">Failed</th><th scope="col">Dead letters</th><th scope="col">Reason</th></tr></thead>
          <tbody>
            {s.applications.map((a) => (
              <tr key={a.id}>
                <td><Link to={`/applications/${a.id}/provisioning`}>{a.name}</Link></td>
                <td><StateBadge state={a.state} /></td>
                <td>{a.queue_depth}</td>
                <td>{a.in_flight}</td>
                <td>{a.succeeded}</td>
                <td>{a.failed}</td>
                <td>{a.dead_letters}</td>
                <td>{a.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
