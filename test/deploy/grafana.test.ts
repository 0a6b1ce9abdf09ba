// The sample Grafana dashboard and Prometheus scrape configuration read statically: every metric
// an expression names is in the registry's output, with the labels the expression matches on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { applyEnv, parseConfig, type Config } from '../../lib/config.ts';
import { AttendantMetrics } from '../../lib/metrics/registry.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dashboard = JSON.parse(readFileSync(join(root, 'docker/grafana/attendant-dashboard.json'), 'utf8')) as {
  panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>;
  templating: { list: Array<{ name: string; type: string; query: unknown }> };
};

/** every PromQL expression of the dashboard: panel targets and the variables' label_values() */
function expressions(): Array<{ where: string; expr: string }> {
  const out: Array<{ where: string; expr: string }> = [];
  for (const p of dashboard.panels) for (const t of p.targets ?? []) out.push({ where: p.title, expr: t.expr });
  for (const v of dashboard.templating.list) {
    if (v.type !== 'query') continue;
    const q = typeof v.query === 'string' ? v.query : (v.query as { query: string }).query;
    out.push({ where: `variable ${v.name}`, expr: q });
  }
  return out;
}

/** series name → label names seen in a scrape */
function seriesOf(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const l of text.split('\n')) {
    if (!l || l.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s/.exec(l);
    assert.ok(m, `sample line parses: ${l}`);
    const labels = out.get(m[1]!) ?? new Set<string>();
    for (const pair of (m[2] ?? '').split(',').filter(Boolean)) labels.add(pair.slice(0, pair.indexOf('=')));
    out.set(m[1]!, labels);
  }
  return out;
}

const PROMQL_WORDS = new Set(['sum', 'max', 'min', 'avg', 'count', 'by', 'without', 'rate', 'increase', 'irate', 'histogram_quantile', 'label_values', 'on', 'ignoring', 'group_left', 'group_right']);

describe('deployment kit: Grafana dashboard and Prometheus', () => {
  let series: Map<string, Set<string>>;
  let config: Config;
  before(async () => {
    // the configuration of docker/compose.yml with the controller's environment there, secrets replaced by a stand-in
    const compose = parseYaml(readFileSync(join(root, 'docker/compose.yml'), 'utf8')) as { services: { controller: { environment: Record<string, string> } } };
    const env = Object.fromEntries(Object.entries(compose.services.controller.environment).map(([k, v]) => [k, v.startsWith('${') ? 'secret-from-env' : v]));
    config = parseConfig(applyEnv(parseYaml(readFileSync(join(root, 'docker/attendant.yaml'), 'utf8')), env));
    const metrics = new AttendantMetrics(config);
    metrics.watch({
      state: { queues: () => [], calls: () => [], call: () => undefined, attendant: () => undefined, storeBacklog: () => 0 },
      now: () => 0, active: () => true,
      links: () => ({ ari: true, ami: true, redis: true }),
    });
    series = seriesOf((await metrics.scrape()).body);
  });

  it('given the dashboard, then it has a Prometheus datasource variable every panel uses, and panels for each area', () => {
    const ds = dashboard.templating.list.find((v) => v.type === 'datasource');
    assert.ok(ds && ds.query === 'prometheus', 'a datasource variable of type prometheus');
    const text = JSON.stringify(dashboard.panels);
    assert.doesNotMatch(text, /"uid":\s*"(?!\$\{datasource\})[^"]*"/, 'every datasource is the variable');
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(' | ');
    for (const area of ['waiting', 'longest wait', 'attendants by state', 'answered', 'service level', 'latency', 'connections', 'event-loop', 'memory']) {
      assert.ok(titles.includes(area), `a panel for ${area}`);
    }
    assert.ok(expressions().some((e) => e.expr.includes('histogram_quantile')), 'latency percentiles from the histograms');
  });

  it('given every expression of the dashboard, then each metric it names is in the registry output, with the labels it matches or groups on', () => {
    const exprs = expressions();
    assert.ok(exprs.length >= 20, `expressions found: ${exprs.length}`);
    let names = 0;
    for (const { where, expr } of exprs) {
      // identifiers that are metric names: not functions / keywords, not label names inside {...} or by (...)
      // label_values(metric, label): the label is checked on the metric, not taken for a metric
      const lv = /^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,\s*([a-zA-Z_]\w*)\s*\)$/.exec(expr);
      if (lv && lv[2] !== 'instance' && lv[2] !== 'job') assert.ok(series.get(lv[1]!)?.has(lv[2]!), `${where}: ${lv[1]} has the label ${lv[2]}`);
      const stripped = (lv ? lv[1]! : expr).replace(/\{[^}]*\}/g, '{}').replace(/\b(by|without)\s*\([^)]*\)/g, '').replace(/\[[^\]]*\]/g, '').replace(/"[^"]*"/g, '');
      const idents = [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0]).filter((w) => !PROMQL_WORDS.has(w) && !/^(instance|job)$/.test(w));
      assert.ok(idents.length > 0, `${where}: names a metric (${expr})`);
      for (const name of idents) {
        names++;
        const labels = series.get(name);
        assert.ok(labels, `${where}: ${name} is exported (${expr})`);
        // label matchers of this metric's selectors, and by (...) labels
        for (const sel of expr.matchAll(new RegExp(`${name}\\{([^}]*)\\}`, 'g'))) {
          for (const m of sel[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!=|!~|=)/g)) {
            if (m[1] === 'instance' || m[1] === 'job') continue;
            assert.ok(labels.has(m[1]!), `${where}: ${name} has the label ${m[1]}`);
          }
        }
      }
      for (const by of expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
        for (const label of by[1]!.split(',').map((s) => s.trim()).filter(Boolean)) {
          assert.ok(idents.some((n) => series.get(n)?.has(label)), `${where}: a metric of "${expr}" has the label ${label} it is summed by`);
        }
      }
    }
    assert.ok(names >= 20, `metric names checked: ${names}`);
  });

  it('given the service-level panel, then the service target of the shipped configuration is one of its choices and a bucket', () => {
    const target = dashboard.templating.list.find((v) => v.name === 'target');
    const choices = String(target?.query ?? '').split(',').map((s) => Number(s.trim()));
    assert.ok(choices.includes(config.statistics.serviceTargetSeconds), `target ${config.statistics.serviceTargetSeconds} s offered`);
  });

  it('given the Prometheus scrape configuration, then it scrapes the controller\'s metrics port of docker/attendant.yaml', () => {
    const prom = parseYaml(readFileSync(join(root, 'docker/prometheus.yml'), 'utf8')) as { scrape_configs: Array<{ job_name: string; metrics_path?: string; static_configs: Array<{ targets: string[] }> }> };
    const job = prom.scrape_configs.find((j) => j.job_name === 'attendant');
    assert.ok(job, 'an attendant job');
    assert.equal(job.metrics_path ?? '/metrics', '/metrics', 'the path');
    assert.ok(config.metrics.port, 'docker/attendant.yaml gives the metrics a port of their own');
    assert.ok(job.static_configs.some((s) => s.targets.includes(`controller:${config.metrics.port}`)), `scrapes controller:${config.metrics.port}`);
    assert.equal(config.metrics.host, '0.0.0.0', 'reachable on the compose network');
  });
});
