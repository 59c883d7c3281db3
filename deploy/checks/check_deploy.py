#!/usr/bin/env python3
"""Offline checks of deploy/: the Grafana dashboard and its provisioning, the Prometheus alert rules'
metric names, the compose file and the Kubernetes manifests against each other and the server's config.

  python3 deploy/checks/check_deploy.py [--metrics SCRAPE] [--k8s RENDERED.yaml] [--k8s-cluster RENDERED.yaml]
                                        [--prometheus URL] [--cluster]

--metrics: a /metrics scrape of the running server (with a publisher and viewers); every metric name
in the dashboard and the alert rules must appear in it. --k8s: `kubectl kustomize deploy/k8s` output;
without it the manifest files are read one by one. --prometheus: a Prometheus scraping a server with a
live room; every dashboard and alert expression must run there and (dashboard) return data. The dashboard's
"Cluster" row is held to that (and to --metrics) only with --cluster, as a single node exports no cluster
metrics. --k8s-cluster: `kubectl kustomize deploy/k8s/cluster` output (without it, the overlay's own files are
checked). deploy/cluster/ (compose stack, HAProxy, nginx, Prometheus) is always checked.
Prints one line per check, then 'N passed, N failed'.
Needs Python 3 and PyYAML (Debian: python3-yaml).
"""
import argparse
import json
import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

import cluster_checks

DEPLOY = Path(__file__).resolve().parent.parent
REPO = DEPLOY.parent
results = [0, 0]


def check(what, ok, detail=""):
    results[0 if ok else 1] += 1
    print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else ": " + detail))
    return ok


# PromQL words that are not metric names (functions are recognised by the "(" after them).
PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
                "bool", "offset", "inf", "nan"}


def metric_names(expr):
    """Metric names in a PromQL expression: identifiers outside strings, label matchers, ranges and
    grouping clauses that are not function calls or keywords."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    e = re.sub(r"\{[^}]*\}", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    names = set()
    for m in re.finditer(r"(?<![\w$:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?", e):
        if m.group(2) or m.group(1).lower() in PROMQL_WORDS:
            continue
        names.add(m.group(1))
    return names


def scraped_names(path):
    names = set()
    for line in Path(path).read_text().splitlines():
        if line and not line.startswith("#"):
            names.add(re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0))
    return names


def duration_seconds(text):
    m = re.fullmatch(r"(\d+)\s*(ms|s|m|h)?", text.strip())
    n, unit = int(m.group(1)), m.group(2) or "ms"
    return n * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]


def drain_timeout(conf_text, where):
    """relay.lifecycle.drain-timeout as set in a HOCON file (either spelling), else reference.conf's."""
    m = re.search(r"^\s*(?:lifecycle\.)?drain-timeout\s*=\s*(\S+)", conf_text, re.M)
    if m:
        return duration_seconds(m.group(1)), where
    ref = (REPO / "config/reference.conf").read_text()
    return duration_seconds(re.search(r"^\s*drain-timeout\s*=\s*(\S+)", ref, re.M).group(1)), "reference.conf"


def dashboard_exprs():
    d = json.loads((DEPLOY / "grafana/dashboards/fluxrelay.json").read_text())
    check("dashboard JSON parses, uid and title set", bool(d.get("uid")) and bool(d.get("title")))
    exprs = []

    def walk(panels):
        for p in panels:
            yield p
            yield from walk(p.get("panels", []))

    panels = list(walk(d.get("panels", [])))
    # Panels after the row titled "Cluster" (the last row) use the cluster metrics.
    rows = [p for p in panels if p.get("type") == "row"]
    check("the last row is titled Cluster", bool(rows) and rows[-1].get("title") == "Cluster")
    cluster_from = panels.index(rows[-1]) if rows and rows[-1].get("title") == "Cluster" else len(panels)
    cluster_ids = {p.get("id") for p in panels[cluster_from:]}
    ids = [p.get("id") for p in panels]
    check("panel ids unique", len(ids) == len(set(ids)))
    for p in panels:
        for t in p.get("targets", []):
            where = f"panel '{p.get('title')}' {t.get('refId')}"
            if p.get("id") in cluster_ids:
                where = "cluster " + where
                check(f"{where} uses fluxrelay_cluster_* metrics",
                      any(n.startswith("fluxrelay_cluster_") for n in metric_names(t.get("expr", ""))))
            exprs.append((where, t.get("expr", "")))
        if p.get("targets"):
            check(f"panel '{p.get('title')}' uses the dashboard's datasource variable",
                  (p.get("datasource") or {}).get("uid") == "${datasource}")
    variables = {v["name"]: v for v in d.get("templating", {}).get("list", [])}
    check("datasource variable of type prometheus", variables.get("datasource", {}).get("query") == "prometheus")
    for v in variables.values():
        q = v.get("query")
        if isinstance(q, dict) and q.get("query"):
            inner = re.sub(r"label_values\(([^,]+),[^)]*\)", r"\1", q["query"])
            exprs.append((f"variable {v['name']}", inner))
    return exprs


def grafana_provisioning():
    ds = yaml.safe_load((DEPLOY / "grafana/provisioning/datasources/prometheus.yml").read_text())
    sources = ds.get("datasources", [])
    check("one default Prometheus datasource provisioned",
          len(sources) == 1 and sources[0].get("type") == "prometheus" and sources[0].get("isDefault"))
    prov = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/fluxrelay.yml").read_text())
    path = prov["providers"][0]["options"]["path"]
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    mounts = compose["services"]["grafana"]["volumes"]
    check(f"dashboard provider path {path} is the compose mount of grafana/dashboards",
          any(m.startswith("./grafana/dashboards:" + path) for m in mounts))
    check("provisioning folder mounted where Grafana reads it",
          any(m.startswith("./grafana/provisioning:/etc/grafana/provisioning") for m in mounts))


def alert_exprs():
    out = []
    for f in sorted((DEPLOY / "prometheus/rules").glob("*.yml")):
        for g in yaml.safe_load(f.read_text())["groups"]:
            for r in g["rules"]:
                out.append((f"rule {r.get('alert') or r.get('record')}", r["expr"]))
    return out


def compose_checks():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    relay = compose["services"]["relay"]
    drain, where = drain_timeout((DEPLOY / "relay.conf").read_text(), "deploy/relay.conf")
    grace = duration_seconds(relay["stop_grace_period"])
    check(f"compose stop_grace_period {grace:g} s > drain-timeout {drain:g} s ({where})", grace > drain)
    vols = relay["volumes"]
    env = relay["environment"]
    check("compose: a volume holds the rooms file",
          any(v.endswith(":" + str(Path(env["RELAY_ROOMS_FILE"]).parent)) for v in vols))
    hls_dir = re.sub(r"\$\{[A-Z_]+-(.*)\}", r"\1", env.get("RELAY_HLS_DIRECTORY", ""))
    check(f"compose: a volume holds the HLS output ({hls_dir})", any(v.endswith(":" + hls_dir) for v in vols))
    check("compose: Prometheus mounts its config and rules",
          {"./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro", "./prometheus/rules:/etc/prometheus/rules:ro"}
          <= set(compose["services"]["prometheus"]["volumes"]))
    prom = yaml.safe_load((DEPLOY / "prometheus/prometheus.yml").read_text())
    targets = [t for sc in prom["scrape_configs"] for s in sc.get("static_configs", []) for t in s["targets"]]
    check("Prometheus scrapes the relay service on its HTTP port", "relay:8080" in targets)


def k8s_checks(rendered):
    if rendered:
        docs = [d for d in yaml.safe_load_all(Path(rendered).read_text()) if d]
    else:
        kz = yaml.safe_load((DEPLOY / "k8s/base/kustomization.yaml").read_text())
        docs = [d for f in kz["resources"] for d in yaml.safe_load_all((DEPLOY / "k8s/base" / f).read_text()) if d]
    for d in docs:
        check(f"k8s {d.get('kind')}/{(d.get('metadata') or {}).get('name')}: apiVersion, kind, metadata.name",
              bool(d.get("apiVersion")) and bool(d.get("kind")) and bool((d.get("metadata") or {}).get("name")))
    by_kind = {d["kind"]: d for d in docs}
    for kind in ("Deployment", "Service", "ConfigMap", "PodDisruptionBudget"):
        if not check(f"k8s has a {kind}", kind in by_kind):
            return
    dep, svc, cm, pdb = (by_kind[k] for k in ("Deployment", "Service", "ConfigMap", "PodDisruptionBudget"))
    pod = dep["spec"]["template"]
    labels = pod["metadata"]["labels"]
    sel = dep["spec"]["selector"]["matchLabels"]
    check("Deployment selector matches its pod labels", all(labels.get(k) == v for k, v in sel.items()))
    check("Service selector matches the pod labels", all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()))
    check("PodDisruptionBudget selector matches the pod labels",
          all(labels.get(k) == v for k, v in pdb["spec"]["selector"]["matchLabels"].items()))
    check("PodDisruptionBudget sets minAvailable or maxUnavailable",
          "minAvailable" in pdb["spec"] or "maxUnavailable" in pdb["spec"])
    spec = pod["spec"]
    (c,) = spec["containers"]
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    check("container ports rtmp 1935 and http 8080", ports.get("rtmp") == 1935 and ports.get("http") == 8080)
    svc_ports = {(p["port"], p.get("protocol", "TCP"), p["targetPort"]) for p in svc["spec"]["ports"]}
    check("Service exposes TCP 1935 and 8080 to the named container ports",
          {(1935, "TCP", "rtmp"), (8080, "TCP", "http")} <= svc_ports)
    rp, lp = c.get("readinessProbe", {}), c.get("livenessProbe", {})
    check("readiness probe GET /health/ready on the http port",
          rp.get("httpGet", {}).get("path") == "/health/ready" and rp["httpGet"].get("port") in ("http", 8080))
    check("liveness probe GET /health/live on the http port",
          lp.get("httpGet", {}).get("path") == "/health/live" and lp["httpGet"].get("port") in ("http", 8080))
    conf_key = "relay.conf"
    drain, where = drain_timeout(cm["data"].get(conf_key, ""), "ConfigMap")
    grace = spec.get("terminationGracePeriodSeconds", 30)
    check(f"terminationGracePeriodSeconds {grace} > drain-timeout {drain:g} s ({where})", grace > drain)
    res = c.get("resources", {})
    check("resources: cpu and memory requests, memory limit",
          {"cpu", "memory"} <= set(res.get("requests", {})) and "memory" in res.get("limits", {}))
    check("memory request equals limit (the JVM sizes itself from the limit)",
          res.get("requests", {}).get("memory") == res.get("limits", {}).get("memory"))
    psc, csc = spec.get("securityContext", {}), c.get("securityContext", {})
    check("runs as non-root (runAsNonRoot, uid not 0)",
          psc.get("runAsNonRoot") is True and psc.get("runAsUser", 0) != 0)
    check("no privilege escalation, capabilities dropped",
          csc.get("allowPrivilegeEscalation") is False and "ALL" in csc.get("capabilities", {}).get("drop", []))
    vols = {v["name"]: v for v in spec.get("volumes", [])}
    mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
    args = c.get("args", [])
    conf_path = args[args.index("--config") + 1] if "--config" in args else None
    conf_vol = vols.get(mounts.get(str(Path(conf_path).parent)) if conf_path else None, {})
    check(f"--config {conf_path} is the ConfigMap's {conf_key}",
          conf_vol.get("configMap", {}).get("name") == cm["metadata"]["name"] and Path(conf_path).name == conf_key)
    if csc.get("readOnlyRootFilesystem"):
        check("read-only root: /tmp and /var/lib/fluxrelay are volumes", {"/tmp", "/var/lib/fluxrelay"} <= set(mounts))
    check("one replica (a room lives in one pod; see service.yaml)", dep["spec"].get("replicas", 1) == 1)


def query(prometheus, expr):
    url = prometheus.rstrip("/") + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            body = json.load(r)
    except Exception as e:  # a 400 carries PromQL's parse error
        body = json.load(e) if hasattr(e, "read") else {"status": "error", "error": str(e)}
    return body


def live_checks(prometheus, exprs, rules):
    """exprs must run and return data; rules (and the cluster row without --cluster) must run."""
    need_data = set(exprs)
    for where, e in exprs + rules:
        # Grafana's variables as Grafana substitutes them with "All" selected.
        q = e.replace("$room", ".*").replace("$__rate_interval", "1m")
        body = query(prometheus, q)
        ok = body.get("status") == "success"
        if (where, e) not in need_data:
            check(f"{where}: runs in Prometheus", ok, body.get("error", ""))
        else:
            n = len(body.get("data", {}).get("result", [])) if ok else 0
            check(f"{where}: runs in Prometheus and returns data ({n} series)", ok and n > 0,
                  body.get("error", "no data") + " for " + q)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--metrics")
    ap.add_argument("--k8s")
    ap.add_argument("--prometheus")
    ap.add_argument("--k8s-cluster")
    ap.add_argument("--cluster", action="store_true")
    a = ap.parse_args()
    exprs = dashboard_exprs()
    grafana_provisioning()
    rules = alert_exprs()
    for where, e in exprs + rules:
        check(f"{where}: expression names metrics", bool(metric_names(e)), e)
    if not a.cluster:
        exprs_live = [(w, e) for w, e in exprs if not w.startswith("cluster ")]
    else:
        exprs_live = exprs
    if a.metrics:
        have = scraped_names(a.metrics)
        for where, e in exprs_live + rules:
            missing = sorted(metric_names(e) - have)
            check(f"{where}: {', '.join(sorted(metric_names(e)))} in the scrape", not missing,
                  "not exported: " + ", ".join(missing))
    if a.prometheus:
        live_checks(a.prometheus, exprs_live, rules + [(w, e) for w, e in exprs if (w, e) not in exprs_live])
    compose_checks()
    k8s_checks(a.k8s)
    cluster_checks.compose_checks(check, drain_timeout, duration_seconds)
    if a.k8s_cluster:
        cluster_checks.k8s_checks(check, a.k8s_cluster, drain_timeout, duration_seconds)
    return summary()


def summary():
    print(f"check-deploy: {results[0]} passed, {results[1]} failed")
    return 1 if results[1] else 0


if __name__ == "__main__":
    sys.exit(main())
