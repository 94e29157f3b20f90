// Schemas of the two operators' resources that no registry package publishes: RabbitmqCluster
// (RabbitMQ Cluster Operator, rabbitmq.com/v1beta1, written from its API reference for
// v2.16) and CloudNativePG's Cluster and Pooler (postgresql.cnpg.io/v1, from the CloudNativePG
// 1.27 API reference). Hand-written and narrower than the CRDs: only the fields the manifests
// use are allowed (additionalProperties false), each with the CRD's type and limits, so a typo
// or a wrong type fails here as the API server would reject it.

const quantity = {
  anyOf: [{ type: 'string', pattern: '^[0-9.]+(m|Ki|Mi|Gi|Ti|k|M|G|T)?$' }, { type: 'integer' }],
};
const resources = {
  type: 'object',
  additionalProperties: false,
  properties: {
    requests: { type: 'object', additionalProperties: quantity },
    limits: { type: 'object', additionalProperties: quantity },
  },
};
const metadata = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' } },
};
const resource = (apiVersion, kind, spec) => ({
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: apiVersion },
    kind: { const: kind },
    metadata,
    spec,
  },
});

export const rabbitmqCluster = resource('rabbitmq.com/v1beta1', 'RabbitmqCluster', {
  type: 'object',
  additionalProperties: false,
  properties: {
    replicas: { type: 'integer', minimum: 0 },
    image: { type: 'string' },
    resources,
    persistence: {
      type: 'object',
      additionalProperties: false,
      properties: { storage: quantity, storageClassName: { type: 'string' } },
    },
    rabbitmq: {
      type: 'object',
      additionalProperties: false,
      properties: {
        additionalPlugins: {
          type: 'array',
          maxItems: 100,
          items: { type: 'string', pattern: '^\\w+$' },
        },
        additionalConfig: { type: 'string', maxLength: 100000 },
        advancedConfig: { type: 'string', maxLength: 100000 },
      },
    },
    // A partial StatefulSet/Service merged by the operator: checked as objects, but for the
    // pod spec's `containers`, which the operator's schema requires once a pod spec is given.
    override: {
      type: 'object',
      additionalProperties: false,
      properties: { statefulSet: overrideStatefulSet(), service: { type: 'object' } },
    },
  },
});

/** An override's StatefulSet, down to its pod spec, where `containers` is required. */
function overrideStatefulSet() {
  const nested = (key, schema) => ({ type: 'object', properties: { [key]: schema } });
  const podSpec = {
    type: 'object',
    required: ['containers'],
    properties: { containers: { type: 'array' } },
  };
  return nested('spec', nested('template', nested('spec', podSpec)));
}

export const cnpgCluster = resource('postgresql.cnpg.io/v1', 'Cluster', {
  type: 'object',
  required: ['instances'],
  additionalProperties: false,
  properties: {
    instances: { type: 'integer', minimum: 1 },
    imageName: { type: 'string' },
    primaryUpdateStrategy: { enum: ['unsupervised', 'supervised'] },
    storage: {
      type: 'object',
      additionalProperties: false,
      properties: { size: { type: 'string' }, storageClass: { type: 'string' } },
    },
    resources,
    postgresql: {
      type: 'object',
      additionalProperties: false,
      properties: { parameters: { type: 'object', additionalProperties: { type: 'string' } } },
    },
    bootstrap: {
      type: 'object',
      additionalProperties: false,
      properties: {
        initdb: {
          type: 'object',
          additionalProperties: false,
          properties: { database: { type: 'string' }, owner: { type: 'string' } },
        },
      },
    },
    monitoring: {
      type: 'object',
      additionalProperties: false,
      properties: { enablePodMonitor: { type: 'boolean' } },
    },
  },
});

export const cnpgPooler = resource('postgresql.cnpg.io/v1', 'Pooler', {
  type: 'object',
  required: ['cluster', 'pgbouncer'],
  additionalProperties: false,
  properties: {
    cluster: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string' } },
    },
    instances: { type: 'integer', minimum: 0 },
    type: { enum: ['rw', 'ro', 'r'] },
    pgbouncer: {
      type: 'object',
      additionalProperties: false,
      properties: {
        poolMode: { enum: ['session', 'transaction'] },
        parameters: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
});
