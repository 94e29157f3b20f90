// Validates rendered Kubernetes manifests (a multi-document YAML on stdin) against the schemas
// of the Kubernetes API and of the operators' resources, and prints one JSON line per object:
// {"kind","name","errors":[...]}. An ES module run by Node itself: the kubernetes-models
// packages are ES modules only, which Jest's CommonJS runtime cannot load.
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import {
  PodMonitor,
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { cnpgCluster, cnpgPooler, rabbitmqCluster } from './operator-schemas.mjs';

const ajv = new Ajv({ allErrors: true, strict: false });
const bySchema = (schema) => {
  const check = ajv.compile(schema);
  return (object) => {
    if (!check(object)) {
      throw new Error(check.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; '));
    }
  };
};
const byModel = (Model) => (object) => new Model(object).validate();

const validators = {
  'v1/ConfigMap': byModel(ConfigMap),
  'v1/Namespace': byModel(Namespace),
  'v1/Secret': byModel(Secret),
  'v1/Service': byModel(Service),
  'apps/v1/Deployment': byModel(Deployment),
  'batch/v1/Job': byModel(Job),
  'policy/v1/PodDisruptionBudget': byModel(PodDisruptionBudget),
  'keda.sh/v1alpha1/ScaledObject': byModel(ScaledObject),
  'keda.sh/v1alpha1/TriggerAuthentication': byModel(TriggerAuthentication),
  'monitoring.coreos.com/v1/PodMonitor': byModel(PodMonitor),
  'monitoring.coreos.com/v1/ServiceMonitor': byModel(ServiceMonitor),
  'monitoring.coreos.com/v1/PrometheusRule': byModel(PrometheusRule),
  'rabbitmq.com/v1beta1/RabbitmqCluster': bySchema(rabbitmqCluster),
  'postgresql.cnpg.io/v1/Cluster': bySchema(cnpgCluster),
  'postgresql.cnpg.io/v1/Pooler': bySchema(cnpgPooler),
};

for (const document of parseAllDocuments(readFileSync(0, 'utf8'))) {
  const object = document.toJSON();
  if (!object) continue;
  const type = `${object.apiVersion}/${object.kind}`;
  const validate = validators[type];
  const errors = [];
  if (!validate) errors.push(`no schema for ${type}`);
  else {
    try {
      validate(object);
    } catch (error) {
      errors.push(error.message);
    }
  }
  console.log(JSON.stringify({ kind: object.kind, name: object.metadata?.name, errors }));
}
