"""Offline checks of the cluster deployment, run by check_deploy.py: deploy/cluster/ (compose stack, HAProxy,
nginx, Prometheus and the hostnet override's rewrites of them) and the deploy/k8s/cluster overlay, against each
other and the server's configuration keys (config/reference.conf)."""
import re
from pathlib import Path
from urllib.parse import urlparse

import yaml

DEPLOY = Path(__file__).resolve().parent.parent
CLUSTER = DEPLOY / "cluster"
RELAY_ENV = ("RELAY_CLUSTER_ENABLED", "RELAY_NODE_ID", "RELAY_ADVERTISE_HOST", "RELAY_REDIS_URI", "RELAY_CLUSTER_SECRET")


def compose_checks(check, drain_timeout, duration_seconds):
    compose = yaml.safe_load((CLUSTER / "docker-compose.yml").read_text())
    services = compose["services"]
    relays = sorted(n for n in services if re.fullmatch(r"relay-\d+", n))
    check(f"cluster compose: three relay nodes ({', '.join(relays)})", len(relays) == 3)
    ref = (DEPLOY.parent / "config/reference.conf").read_text()
    check("cluster env variables are the ones reference.conf reads",
          all("${?" + v + "}" in ref for v in RELAY_ENV))
    redis = services.get("redis", {})
    redis_cmd = " ".join(redis.get("command") or [])
    if not redis_cmd:
        m = re.search(r"^CMD\s+(\[.*?\])\s*$", (CLUSTER / "redis/Dockerfile").read_text(), re.M | re.S)
        redis_cmd = " ".join(yaml.safe_load(m.group(1).replace("\\\n", " "))) if m else ""
    check("cluster compose: Redis with AOF (--appendonly yes) in /data", "--appendonly yes" in redis_cmd
          and "--dir /data" in redis_cmd)
    check("cluster compose: Redis's /data is a named volume",
          any(v.split(":")[1] == "/data" and v.split(":")[0] in (compose.get("volumes") or {}) for v in redis.get("volumes", [])))
    conf = (CLUSTER / "relay.conf").read_text()
    drain, where = drain_timeout(conf, "deploy/cluster/relay.conf")
    grace_checks(check, conf, "deploy/cluster/relay.conf", duration_seconds)
    ids = set()
    for name in relays:
        s = services[name]
        env = s.get("environment", {})
        check(f"cluster compose {name}: sets {', '.join(RELAY_ENV)}", all(env.get(v) for v in RELAY_ENV))
        check(f"cluster compose {name}: cluster enabled, node id and advertised host are its service name",
              str(env.get("RELAY_CLUSTER_ENABLED")).lower() == "true" and env.get("RELAY_NODE_ID") == name
              and env.get("RELAY_ADVERTISE_HOST") == name)
        check(f"cluster compose {name}: Redis URI names the redis service",
              urlparse(str(env.get("RELAY_REDIS_URI"))).hostname == "redis")
        check(f"cluster compose {name}: stop_grace_period > drain-timeout {drain:g} s ({where})",
              duration_seconds(s.get("stop_grace_period", "10s")) > drain)
        check(f"cluster compose {name}: mounts deploy/cluster/relay.conf",
              "./relay.conf:/etc/fluxrelay/relay.conf:ro" in s.get("volumes", []))
        ids.add(env.get("RELAY_NODE_ID"))
    check("cluster compose: node ids unique", len(ids) == len(relays))

    haproxy = (CLUSTER / "haproxy/haproxy.cfg").read_text()
    check("HAProxy: leastconn, health check GET /health/ready expecting 200",
          "balance leastconn" in haproxy and "option httpchk GET /health/ready" in haproxy
          and "http-check expect status 200" in haproxy)
    for name in relays:
        check(f"HAProxy balances RTMP to {name}:1935, checked on its HTTP port 8080",
              re.search(rf"^\s*server {name} {name}:1935 check port 8080\s*$", haproxy, re.M) is not None)
    nginx = (CLUSTER / "nginx/nginx.conf").read_text()
    upstreams = dict(re.findall(r"upstream (\w+) \{(.*?)\}", nginx, re.S))
    for up, body in upstreams.items():
        check(f"nginx upstream {up} lists every node on 8080",
              sorted(re.findall(r"server (relay-\d+):8080", body)) == relays)
    locations = dict(re.findall(r"location ([^{]+?) \{(.*?)\n        \}", nginx, re.S))
    hls, flv = locations.get("/hls/", ""), locations.get(r"~ \.flv$", "")
    hls_up = re.search(r"proxy_pass http://(\w+);", hls)
    check("nginx: HLS round robin over the nodes (every node answers alike) and cached",
          bool(hls_up) and "hash " not in upstreams.get(hls_up.group(1), "x")
          and "proxy_cache hls;" in hls and "proxy_cache_path" in nginx)
    check("nginx: HLS not retried on 404 (a room's 404 is the same on every node)",
          re.search(r"proxy_next_upstream [^;]*http_404", hls) is None)
    check("nginx: HTTP-FLV unbuffered, on any node", "proxy_buffering off;" in flv and "http://relay_any;" in flv)
    prom = yaml.safe_load((CLUSTER / "prometheus.yml").read_text())
    targets = sorted(t for sc in prom["scrape_configs"] for s in sc.get("static_configs", []) for t in s["targets"])
    check("cluster Prometheus scrapes every node on 8080", targets == [f"{n}:8080" for n in relays])
    check("cluster compose: Prometheus mounts its config and ../prometheus/rules",
          {"./prometheus.yml:/etc/prometheus/prometheus.yml:ro", "../prometheus/rules:/etc/prometheus/rules:ro"}
          <= set(services["prometheus"]["volumes"]))
    check("cluster compose: Grafana gets the provisioning and dashboards of deploy/grafana",
          {"../grafana/provisioning:/etc/grafana/provisioning:ro", "../grafana/dashboards:/etc/grafana/dashboards:ro"}
          <= set(services["grafana"]["volumes"]))
    # The hostnet override rewrites the configs with sed: each pattern must still match.
    hostnet = (CLUSTER / "docker-compose.hostnet.yml").read_text()
    texts = {"haproxy": haproxy, "nginx": nginx, "prometheus": (CLUSTER / "prometheus.yml").read_text()}
    over = yaml.safe_load(hostnet)["services"]
    for svc, text in texts.items():
        cmd = " ".join(over[svc]["command"])
        pats = re.findall(r"-e 's/(.*?)/", cmd)
        check(f"hostnet override: every sed pattern for {svc} matches its config ({len(pats)})",
              bool(pats) and all(p in text for p in pats), str([p for p in pats if p not in text]))
    check("hostnet override: every relay node on the host network with its own ports",
          all(over[n].get("network_mode") == "host" and "RELAY_RTMP_PORT" in over[n]["environment"] for n in relays))


def grace_checks(check, conf, where, duration_seconds):
    """RTMP viewers at the surviving nodes must not be told the stream ended while a failover runs: the grace
    exceeds the lease lifetime plus the load balancer's and the encoder's delays (at least 2 x lease-ttl)."""
    ref = (DEPLOY.parent / "config/reference.conf").read_text()
    lease = duration_seconds(re.search(r"^\s*lease-ttl\s*=\s*(\S+)", ref, re.M).group(1))
    m = re.search(r"^\s*(?:stream\.)?publisher-gap-grace\s*=\s*(\S+)", conf, re.M)
    grace = duration_seconds(m.group(1)) if m else 0
    check(f"{where}: publisher-gap-grace {grace:g} s >= 2 x lease-ttl {lease:g} s (viewers kept through a failover)",
          grace >= 2 * lease)


def k8s_checks(check, rendered, drain_timeout, duration_seconds):
    """rendered: `kubectl kustomize deploy/k8s/cluster` output (the overlay's patches need kustomize)."""
    docs = [d for d in yaml.safe_load_all(Path(rendered).read_text()) if d]
    objs = {(d["kind"], d["metadata"]["name"]): d for d in docs}
    dep = objs.get(("Deployment", "fluxrelay"))
    sts = [d for d in docs if d["kind"] == "StatefulSet"]
    if not check("k8s cluster: a relay Deployment and a Redis StatefulSet", dep is not None and len(sts) == 1):
        return
    (sts,) = sts
    check("k8s cluster: three relay replicas", dep["spec"].get("replicas") == 3)
    pod_labels = dep["spec"]["template"]["metadata"]["labels"]
    (c,) = dep["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in c.get("env", [])}
    check("k8s cluster: RELAY_CLUSTER_ENABLED true", env.get("RELAY_CLUSTER_ENABLED", {}).get("value") == "true")
    field = lambda n: env.get(n, {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath")
    check("k8s cluster: RELAY_NODE_ID from the pod name", field("RELAY_NODE_ID") == "metadata.name")
    check("k8s cluster: RELAY_ADVERTISE_HOST from the pod IP", field("RELAY_ADVERTISE_HOST") == "status.podIP")
    ref = env.get("RELAY_CLUSTER_SECRET", {}).get("valueFrom", {}).get("secretKeyRef", {})
    check("k8s cluster: RELAY_CLUSTER_SECRET from a Secret, required", bool(ref.get("name")) and not ref.get("optional"))
    uri = urlparse(env.get("RELAY_REDIS_URI", {}).get("value", ""))
    redis_svc = objs.get(("Service", uri.hostname or ""))
    redis_labels = sts["spec"]["template"]["metadata"]["labels"]
    check(f"k8s cluster: RELAY_REDIS_URI names a Service of the Redis pods on port {uri.port}",
          redis_svc is not None and all(redis_labels.get(k) == v for k, v in redis_svc["spec"]["selector"].items())
          and any(p["port"] == uri.port for p in redis_svc["spec"]["ports"]))
    check("k8s cluster: Redis and relay pods are told apart by their selectors",
          any(redis_labels.get(k) != v for k, v in dep["spec"]["selector"]["matchLabels"].items()))
    governing = objs.get(("Service", sts["spec"].get("serviceName", "")))
    check("k8s cluster: the StatefulSet's serviceName is a headless Service",
          governing is not None and governing["spec"].get("clusterIP") == "None")
    (rc,) = sts["spec"]["template"]["spec"]["containers"]
    args = " ".join(rc.get("args", []))
    claims = {t["metadata"]["name"] for t in sts["spec"].get("volumeClaimTemplates", [])}
    check("k8s cluster: Redis with AOF (--appendonly yes) in /data on a PersistentVolumeClaim",
          "--appendonly yes" in args and "--dir /data" in args
          and any(m["mountPath"] == "/data" and m["name"] in claims for m in rc.get("volumeMounts", [])))
    services = [d for d in docs if d["kind"] == "Service"
                and all(pod_labels.get(k) == v for k, v in d["spec"].get("selector", {}).items())]
    rtmp = [s for s in services if s["spec"].get("type") == "LoadBalancer"
            and {(p["port"], p.get("protocol", "TCP")) for p in s["spec"]["ports"]} == {(1935, "TCP")}]
    http = [s for s in services if any(p["port"] == 8080 and p["targetPort"] in ("http", 8080) for p in s["spec"]["ports"])]
    check("k8s cluster: a LoadBalancer Service for RTMP (TCP 1935 only)", len(rtmp) == 1)
    check("k8s cluster: a Service for HTTP (8080) of the relay pods", len(http) == 1)
    pdbs = [d for d in docs if d["kind"] == "PodDisruptionBudget"
            and all(pod_labels.get(k) == v for k, v in d["spec"]["selector"]["matchLabels"].items())]
    check("k8s cluster: PodDisruptionBudget of the relay pods with minAvailable 2 (of 3)",
          len(pdbs) == 1 and pdbs[0]["spec"].get("minAvailable") == 2)
    rp = c.get("readinessProbe", {}).get("httpGet", {})
    check("k8s cluster: relay readiness GET /health/ready", rp.get("path") == "/health/ready")
    cm = objs.get(("ConfigMap", "fluxrelay-config"), {"data": {}})
    drain, where = drain_timeout(cm["data"].get("relay.conf", ""), "ConfigMap")
    grace_checks(check, cm["data"].get("relay.conf", ""), "k8s cluster ConfigMap", duration_seconds)
    grace = dep["spec"]["template"]["spec"].get("terminationGracePeriodSeconds", 30)
    check(f"k8s cluster: terminationGracePeriodSeconds {grace} > drain-timeout {drain:g} s ({where})", grace > drain)
    for d in (dep, sts):
        psc = d["spec"]["template"]["spec"].get("securityContext", {})
        check(f"k8s cluster {d['kind']}/{d['metadata']['name']}: runs as non-root",
              psc.get("runAsNonRoot") is True and psc.get("runAsUser", 0) != 0)
