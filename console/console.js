// The ops console: plain DOM, no build step. Every number comes from the ops and view routes,
// called with the operator's token; nothing is computed here except ages and formatting.
const base = location.pathname.replace(/\/ops\/console\/?$/, '');
const $ = (id) => document.getElementById(id);

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, v);
  for (const c of children.flat())
    node.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return node;
};

const table = (caption, headers, rows) =>
  el(
    'table',
    {},
    el('caption', { class: 'meta' }, caption),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        headers.map((h) => el('th', { scope: 'col' }, h)),
      ),
    ),
    el('tbody', {}, rows),
  );

const token = () => sessionStorage.getItem('opsToken') ?? '';

const api = async (path, init = {}) => {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token()}`, ...(init.headers ?? {}) },
  });
  const body = await res.json().catch(() => null);
  return { status: res.status, body };
};

const duration = (ms) => {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
};
const ageOf = (iso, now) => (iso ? `${duration(Date.parse(now) - Date.parse(iso))} ago` : 'never');

const formatValue = (value, unit) => {
  if (value === null || value === undefined) return '—';
  if (unit === 'Seconds') return duration(value * 1000);
  if (unit === 'Milliseconds') return `${Math.round(value)} ms`;
  if (unit === 'Percent') return `${Number(value).toFixed(1)} %`;
  return String(value);
};

const sparkline = (series, label) => {
  const values = series.map((v) => v ?? 0);
  const max = Math.max(1, ...values);
  const points = values
    .map((v, i) => `${(i * 120) / Math.max(1, values.length - 1)},${23 - (v / max) * 22}`)
    .join(' ');
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', '0 0 120 24');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${label}: last ${values.length} minutes, max ${max}`);
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', points);
  svg.append(line);
  return svg;
};

const breakdownText = (signal, local) => {
  const split = signal.detail?.byReason ?? signal.detail?.byClassification ?? local?.byBreakdown;
  if (!split || Object.keys(split).length === 0) return '—';
  return (
    Object.entries(split)
      .filter(([, v]) => v)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ') || '—'
  );
};

const renderFreshness = (dash) => {
  const f = dash.freshness;
  $('freshness-list').replaceChildren(
    el('dt', {}, 'Data current through'),
    el('dd', { 'data-field': 'dataCurrentThrough' }, f.dataCurrentThrough ?? 'no projected event yet'),
    el('dt', {}, 'Projection lag p95'),
    el('dd', { 'data-field': 'projectionLagP95' }, formatValue(f.projectionLagP95Ms, 'Milliseconds')),
    el('dt', {}, 'Last projected'),
    el('dd', {}, ageOf(f.lastProjectedAt, dash.computedAt)),
    el('dt', {}, 'Computed at'),
    el('dd', { 'data-field': 'computedAt' }, dash.computedAt),
  );
};

const ageLabels = { under2h: '< 2 h', '2to24h': '2–24 h', over24h: '> 24 h' };

/** A widget's breakdown in its shape: state × age lines, funnel stages, or value per reason. */
const widgetBreakdown = (w, s, local) => {
  if (w.shape === 'stateAge') {
    const byState = w.detail?.byState ?? {};
    const lines = Object.entries(byState).map(([state, buckets]) =>
      el(
        'li',
        { 'data-state': state },
        `${state}: `,
        Object.entries(ageLabels)
          .map(([bucket, label]) => `${label} ${buckets[bucket] ?? 0}`)
          .join(' · '),
      ),
    );
    return lines.length ? el('ul', { class: 'plain' }, lines) : '—';
  }
  if (w.shape === 'funnel') {
    const stages = w.detail?.funnel ?? [];
    return stages.length
      ? stages
          .map((f) => `${f.stage} ${f.count}${f.ofCreated === null ? '' : ` (${f.ofCreated} %)`}`)
          .join(' → ')
      : '—';
  }
  if (w.split) {
    const entries = Object.entries(w.split).filter(([, v]) => v);
    return entries.length
      ? entries
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')
      : '—';
  }
  return breakdownText(s, local);
};

const renderDashboards = (dash, local) => {
  const byId = new Map((dash.widgets ?? []).map((w) => [w.id, w]));
  const sections = Object.entries(dash.dashboards).map(([name, d]) => {
    const rows = d.widgets.map((id) => {
      const w = byId.get(id);
      const s = dash.signals[w.signal];
      const l = local?.signals?.[w.signal];
      // Gauges come from the API; rates (and AWS-published metrics) from the metrics store.
      const shown = w.value !== null ? w.value : (l?.lastHour ?? null);
      const freshness =
        w.value !== null ? ageOf(w.asOf, dash.computedAt) : l ? 'last hour (local metrics)' : 'CloudWatch';
      const alarm = s.alarm
        ? `${s.alarm.comparison === 'GreaterThanThreshold' ? '>' : '≥'} ${formatValue(s.alarm.threshold, s.unit)}`
        : 'none';
      return el(
        'tr',
        { 'data-signal': w.signal, 'data-widget': w.id, 'data-shape': w.shape },
        el('th', { scope: 'row' }, w.title, el('br'), el('code', {}, w.id)),
        el(
          'td',
          { class: 'value', 'data-field': 'value', 'data-raw': shown ?? '' },
          formatValue(shown, s.unit),
        ),
        el(
          'td',
          { 'data-field': 'asOf', 'data-as-of': w.asOf ?? '' },
          el('span', { class: 'meta', 'data-field': 'freshness-source' }, w.freshness),
          el('br'),
          freshness,
        ),
        el('td', { 'data-field': 'breakdown' }, widgetBreakdown(w, s, l)),
        el('td', { 'data-field': 'decision' }, w.decision),
        el('td', {}, el('span', { class: 'tag' }, w.indicator)),
        el('td', { 'data-field': 'owner' }, w.ownerTeam),
        el(
          'td',
          {},
          alarm,
          l?.alarm
            ? el('span', { class: `state-${l.alarm.state}`, 'data-field': 'alarm' }, ` ${l.alarm.state}`)
            : '',
        ),
        el('td', {}, s.runbook, w.query ? [el('br'), el('code', { 'data-field': 'query' }, w.query)] : ''),
      );
    });
    return el(
      'section',
      { id: `dash-${name}`, 'aria-labelledby': `dash-${name}-title` },
      el('h2', { id: `dash-${name}-title` }, d.title),
      el('p', { class: 'decision' }, el('strong', {}, 'Decision: '), d.decision),
      el('p', { class: 'meta' }, `Owner: ${d.ownerTeam} · used ${d.cadence} · computed ${dash.computedAt}`),
      table(
        `${d.title}: widgets, leading first`,
        [
          'Widget',
          'Value',
          'Freshness',
          'State × age / reason codes / breakdown',
          'Decision',
          'Indicator',
          'Owner',
          'Alarm',
          'Runbook and drill-down',
        ],
        rows,
      ),
    );
  });
  $('dashboards').replaceChildren(...sections);
};

const renderFallout = (fallout) => {
  const items = fallout.items ?? [];
  const rows = items.map((f) =>
    el(
      'tr',
      { 'data-order': f.orderId },
      el('td', {}, el('code', {}, f.orderId)),
      el('td', { 'data-field': 'reasonCode' }, f.reasonCode),
      el('td', {}, f.ownerTeam),
      el('td', {}, f.nextAction),
      el('td', { 'data-field': 'age' }, duration(f.ageMs)),
      el('td', {}, f.task ? `${f.task.type} @ ${f.task.downstream ?? '—'} (${f.task.state})` : '—'),
      el('td', {}, ageOf(f.freshness?.projectedAt, fallout.asOf)),
    ),
  );
  $('fallout-body').replaceChildren(
    el(
      'p',
      { class: 'meta', 'data-field': 'fallout-count' },
      `${fallout.count} orders in fallout · as of ${fallout.asOf}`,
    ),
    table(
      'Open fallout, oldest first',
      ['Order', 'Reason code', 'Owner team', 'Next action', 'Age', 'Task', 'Projected'],
      rows,
    ),
  );
  $('repair-target').replaceChildren(
    ...items
      .filter((f) => f.taskId)
      .map((f) =>
        el('option', { value: `${f.orderId}|${f.taskId}` }, `${f.orderId} / ${f.taskId} (${f.reasonCode})`),
      ),
  );
};

const renderInbox = (inbox) => {
  const rows = (inbox.items ?? []).map((q) =>
    el(
      'tr',
      {},
      el('td', {}, el('code', {}, q.quoteId)),
      el('td', {}, q.accountId),
      el('td', {}, (q.reasonCodes ?? []).join(', ')),
      el('td', {}, q.submittedAt ?? '—'),
      el(
        'td',
        {},
        q.dueAt ? (Date.parse(q.dueAt) < Date.parse(inbox.asOf) ? `overdue since ${q.dueAt}` : q.dueAt) : '—',
      ),
      el('td', {}, ageOf(q.freshness?.projectedAt, inbox.asOf)),
    ),
  );
  $('inbox-body').replaceChildren(
    el('p', { class: 'meta' }, `${inbox.count} approvals pending · as of ${inbox.asOf}`),
    table(
      'Pending approvals by due time',
      ['Quote', 'Account', 'Policy reasons', 'Submitted', 'Due', 'Projected'],
      rows,
    ),
  );
};

const renderRun = (run) => {
  if (!run) {
    $('recon-body').replaceChildren(el('p', {}, 'No completed reconciliation run yet.'));
    return;
  }
  const rows = (run.findings ?? []).map((f) =>
    el(
      'tr',
      {},
      el('td', {}, f.check),
      el('td', {}, f.classification),
      el('td', {}, f.severity),
      el('td', {}, f.difference),
      el('td', {}, `${f.repairDecision?.mode}: ${f.repairDecision?.action}`),
      el('td', {}, f.resultingState),
    ),
  );
  $('recon-body').replaceChildren(
    el(
      'p',
      { class: 'meta', 'data-field': 'run' },
      `Run ${run.id} · ${run.status} · ${run.trigger} · completed ${run.completedAt ?? '—'} · ${run.driftCount} findings`,
    ),
    table(
      'Findings of the latest run',
      ['Check', 'Classification', 'Severity', 'Difference', 'Repair decision', 'State'],
      rows,
    ),
  );
};

const renderLocal = (local) => {
  if (!local) {
    $('metrics-body').replaceChildren(
      el(
        'p',
        {},
        'In AWS the metric time series and alarm states are in CloudWatch (dashboards and alarms built from the same catalog).',
      ),
    );
    return;
  }
  const rows = Object.entries(local.signals).map(([name, s]) =>
    el(
      'tr',
      { 'data-metric': name },
      el('th', { scope: 'row' }, el('code', {}, name)),
      el('td', {}, sparkline(s.series, name)),
      el('td', { 'data-field': 'lastHour' }, formatValue(s.lastHour, s.unit)),
      el(
        'td',
        {},
        s.alarm
          ? `${s.alarm.statistic} ${s.alarm.comparison === 'GreaterThanThreshold' ? '>' : '≥'} ${s.alarm.threshold} for ${s.alarm.evaluationPeriods} × ${s.alarm.periodSeconds}s`
          : '—',
      ),
      el(
        'td',
        { 'data-field': 'state', class: s.alarm ? `state-${s.alarm.state}` : '' },
        s.alarm?.state ?? 'no alarm',
      ),
    ),
  );
  const risk = local.composite['orders-at-risk'];
  $('metrics-body').replaceChildren(
    el(
      'p',
      { 'data-field': 'orders-at-risk' },
      'Composite alarm “orders at risk”: ',
      el('span', { class: `state-${risk.state}` }, risk.state),
      ` (any of ${risk.members.join(', ')})`,
    ),
    table(
      `Local metrics sink, evaluated at ${local.at} with the catalog's alarm definitions`,
      ['Metric', 'Last 30 min', 'Last hour', 'Alarm rule', 'State'],
      rows,
    ),
  );
};

const setStatus = (text) => {
  $('status').textContent = text;
};

const clear = () => {
  for (const id of [
    'freshness-list',
    'dashboards',
    'fallout-body',
    'repair-target',
    'inbox-body',
    'recon-body',
    'metrics-body',
  ])
    $(id).replaceChildren();
  delete document.body.dataset.loadedAt;
};

export const refresh = async () => {
  const used = token();
  if (!used) return setStatus('Enter the operator token to load the console.');
  const dash = await api('/ops/dashboard');
  // Another token was entered meanwhile: its own refresh renders.
  if (used !== token()) return;
  if (dash.status !== 200) {
    clear();
    return setStatus(`The token was refused (${dash.status} ${dash.body?.code ?? ''}).`);
  }
  const [local, fallout, inbox] = await Promise.all([
    api('/ops/local/metrics'),
    api('/views/fallout'),
    api('/views/approval-inbox'),
  ]);
  if (used !== token()) return;
  const localMetrics = local.status === 200 ? local.body : null;
  renderFreshness(dash.body);
  renderDashboards(dash.body, localMetrics);
  renderFallout(fallout.body);
  renderInbox(inbox.body);
  renderLocal(localMetrics);
  const runId = dash.body.signals.ReconciliationDrift?.detail?.runId;
  renderRun(runId ? (await api(`/ops/reconciliation-runs/${encodeURIComponent(runId)}`)).body : null);
  setStatus(`Loaded at ${dash.body.computedAt}.`);
  document.body.dataset.loadedAt = dash.body.computedAt;
};

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem('opsToken', $('token').value.trim());
  $('token').value = '';
  refresh();
});

$('repair-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const [orderId, taskId] = $('repair-target').value.split('|');
  const evidence = {
    downstreamRef: $('repair-ref').value.trim() || undefined,
    note: $('repair-note').value.trim() || undefined,
  };
  const res = await api(
    `/ops/orders/${encodeURIComponent(orderId)}/tasks/${encodeURIComponent(taskId)}/repair`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({
        action: $('repair-action').value,
        reasonCode: $('repair-reason').value.trim(),
        ...(evidence.downstreamRef || evidence.note ? { evidence } : {}),
      }),
    },
  );
  $('repair-result').textContent =
    res.status < 300
      ? `Repair accepted (${res.status}); the order resumes through the fulfillment workflow.`
      : `Refused: ${res.status} ${res.body?.code ?? ''} ${res.body?.message ?? ''}`;
  refresh();
});

$('recon-start').addEventListener('click', async () => {
  const res = await api('/ops/reconciliation-runs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: '{}',
  });
  setStatus(
    res.status === 202
      ? `Reconciliation run ${res.body.runId} started.`
      : `Refused: ${res.status} ${res.body?.code ?? ''}`,
  );
});

$('timeline-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const accountId = $('timeline-account').value.trim();
  const res = await api(`/views/accounts/${encodeURIComponent(accountId)}/timeline`);
  const rows = (res.body?.items ?? []).map((t) =>
    el(
      'tr',
      {},
      el('td', {}, t.occurredAt),
      el('td', {}, t.entryType),
      el('td', {}, t.title),
      el('td', {}, t.related?.orderId ?? t.related?.quoteId ?? '—'),
    ),
  );
  $('timeline-body').replaceChildren(
    res.status === 200
      ? table(`Timeline of ${accountId} · as of ${res.body.asOf}`, ['When', 'Entry', 'What', 'Related'], rows)
      : el('p', {}, `Refused: ${res.status} ${res.body?.code ?? ''}`),
  );
});

refresh();
