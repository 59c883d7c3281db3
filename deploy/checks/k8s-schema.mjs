// Validates Kubernetes objects against the API's OpenAPI schemas (the kubernetes-models package), offline.
//   kubectl kustomize deploy/k8s | node deploy/checks/k8s-schema.mjs
// Prints one line per object and exits 1 when an object is invalid or of a kind it cannot check.
import { readFileSync } from "node:fs";
import { loadAll } from "js-yaml";

const models = {
  "v1/ConfigMap": ["kubernetes-models/v1", "ConfigMap"],
  "v1/Service": ["kubernetes-models/v1", "Service"],
  "v1/Secret": ["kubernetes-models/v1", "Secret"],
  "apps/v1/Deployment": ["kubernetes-models/apps/v1", "Deployment"],
  "apps/v1/StatefulSet": ["kubernetes-models/apps/v1", "StatefulSet"],
  "policy/v1/PodDisruptionBudget": ["kubernetes-models/policy/v1", "PodDisruptionBudget"],
};

let failed = 0;
const docs = loadAll(readFileSync(0, "utf8")).filter((d) => d);
for (const doc of docs) {
  const key = `${doc.apiVersion}/${doc.kind}`;
  const name = `${doc.kind}/${doc.metadata?.name}`;
  const model = models[key];
  if (!model) {
    console.log(`FAIL ${name}: no schema here for ${key}`);
    failed++;
    continue;
  }
  const Model = (await import(model[0]))[model[1]];
  try {
    new Model(doc).validate();
    console.log(`ok   ${name} (${key})`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e.message}`);
    failed++;
  }
}
if (docs.length === 0) {
  console.log("FAIL no objects on standard input");
  failed++;
}
process.exit(failed ? 1 : 0);
