#!/usr/bin/env bash
# Offline checks of deploy/, no Docker engine needed (seconds, plus an npm install the first time):
#   - promtool: prometheus.yml, the alert rules, and the rules' unit tests (prometheus/tests);
#   - deploy/checks/check_deploy.py: dashboard JSON and provisioning, compose file and Kubernetes manifests
#     against each other and against the server's drain timeout (metric names against a real scrape are
#     checked by smoke-test.sh, panel queries against a real Prometheus by compose-test.sh);
#   - deploy/checks/cluster_checks.py (through check_deploy.py): the cluster stack deploy/cluster (compose, HAProxy,
#     nginx, Prometheus, the hostnet override) and the deploy/k8s/cluster overlay;
#   - kubectl kustomize deploy/k8s and deploy/k8s/cluster, then the objects against the Kubernetes API schemas
#     (kubernetes-models);
#   - the Grafana dashboard against @grafana/schema's Dashboard type (tsc).
# The npm-based checks are skipped (and said so) where npm is missing; kubectl's where kubectl is.
#   usage: deploy/check-static.sh      (needs promtool: Debian's prometheus; python3-yaml)
set -uo pipefail
D=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP" "$D/checks/.dashboard-check.ts"' EXIT
passed=0 failed=0
step() { # description, command...
  local what=$1
  shift
  if "$@" >"$TMP/out" 2>&1; then
    passed=$((passed + 1)); echo "PASS $what"
  else
    failed=$((failed + 1)); echo "FAIL $what"; sed 's/^/    /' "$TMP/out" | grep -v '^    ok ' | tail -40
  fi
}
skip() { echo "SKIP $*"; }

step "promtool check config prometheus/prometheus.yml" promtool check config "$D/prometheus/prometheus.yml"
step "promtool check config cluster/prometheus.yml" promtool check config "$D/cluster/prometheus.yml"
step "promtool check rules prometheus/rules" sh -c "promtool check rules '$D'/prometheus/rules/*.yml"
step "promtool test rules prometheus/tests" sh -c "cd '$D/prometheus/tests' && promtool test rules *.yml"

K8S_ARGS=()
if command -v kubectl >/dev/null 2>&1; then
  step "kubectl kustomize k8s" sh -c "kubectl kustomize '$D/k8s' >'$TMP/k8s.yaml'"
  step "kubectl kustomize k8s/cluster" sh -c "kubectl kustomize '$D/k8s/cluster' >'$TMP/k8s-cluster.yaml'"
  K8S_ARGS=(--k8s "$TMP/k8s.yaml" --k8s-cluster "$TMP/k8s-cluster.yaml")
else
  skip "kubectl kustomize (no kubectl): the single-node manifests are read file by file, the cluster overlay is not checked"
fi
step "check_deploy.py: dashboard, provisioning, compose, Kubernetes, cluster stack and overlay" python3 "$D/checks/check_deploy.py" "${K8S_ARGS[@]}"

if command -v npm >/dev/null 2>&1 && (cd "$D/checks" && { [ -d node_modules ] || npm ci --no-audit --no-fund >"$TMP/npm.log" 2>&1; }); then
  if [ -s "$TMP/k8s.yaml" ]; then
    step "Kubernetes objects against the API schemas (kubernetes-models)" sh -c "node '$D/checks/k8s-schema.mjs' <'$TMP/k8s.yaml'"
    step "Kubernetes cluster overlay against the API schemas" sh -c "node '$D/checks/k8s-schema.mjs' <'$TMP/k8s-cluster.yaml'"
  else
    skip "Kubernetes schema check (needs kubectl kustomize's output)"
  fi
  { cat "$D/checks/dashboard-schema.ts.in"; cat "$D/grafana/dashboards/fluxrelay.json"; echo ";"; } >"$D/checks/.dashboard-check.ts"
  step "Grafana dashboard against @grafana/schema (tsc)" sh -c "cd '$D/checks' && ./node_modules/.bin/tsc --noEmit --strict \
    --module nodenext --moduleResolution nodenext --skipLibCheck .dashboard-check.ts"
else
  skip "schema checks of the Kubernetes objects and the dashboard (npm missing or npm ci failed)"
fi

echo "check-static: $passed passed, $failed failed"
[ "$failed" = 0 ]
