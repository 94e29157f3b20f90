import type { ServiceNames } from './service-names';

/** The service in docker-compose.yml: built from the Dockerfile, as its own broker user. */
export function composeService(n: ServiceNames): string {
  return `  ${n.name}:
    <<: *service
    build:
      context: .
      args:
        APP: ${n.name}
    environment:
      <<: *service-environment
      RABBITMQ_URL: 'amqp://${n.name}:\${${n.passwordVariable}:-${n.name}-dev-only-password}@rabbitmq:5672'
      PORT: '${n.port}'
    ports:
      - '127.0.0.1:\${${n.hostPortVariable}:-${n.port}}:${n.port}'
    healthcheck:
      test:
        - CMD
        - node
        - -e
        - "fetch('http://127.0.0.1:${n.port}/health/ready').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"
      interval: 10s
      timeout: 5s
      retries: 3
      start_period: 60s
      start_interval: 2s
    depends_on: *needs-broker-and-database

`;
}

export function prometheusJob(n: ServiceNames): string {
  return `
  - job_name: ${n.name}
    metrics_path: /metrics
    dns_sd_configs:
      - names: [${n.name}]
        type: A
        port: ${n.port}
        refresh_interval: 10s
    relabel_configs:
      - source_labels: [job]
        target_label: service
`;
}

/** The service's URL of RabbitMQ node `index`, its password expanded by Kubernetes. */
const brokerNode = (n: ServiceNames, index: number) =>
  `amqp://${n.name}:$(RABBITMQ_PASSWORD)@rabbitmq-server-${index}.rabbitmq-nodes:5672`;

/** Where k8sManifest puts RABBITMQ_URL among the container's variables. */
const BROKER_URL_VARIABLE = '/spec/template/spec/containers/0/env/4';

/** deploy/k8s/base/<name>.yaml: Deployment, Service and PodDisruptionBudget, like the others. */
export function k8sManifest(n: ServiceNames): string {
  const labels = `{ app.kubernetes.io/name: ${n.name}, app.kubernetes.io/component: service }`;
  const node = (index: number) => brokerNode(n, index);
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${n.name}
  labels: ${labels}
spec:
  replicas: 2
  selector:
    matchLabels: { app.kubernetes.io/name: ${n.name} }
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxUnavailable: 0, maxSurge: 1 }
  template:
    metadata:
      labels: ${labels}
    spec:
      # Above the preStop pause (5 s) + SHUTDOWN_TIMEOUT_MS (10 s) + 5 s of closing connections.
      terminationGracePeriodSeconds: 30
      securityContext:
        { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: ${n.name}
          image: nestjs-rabbitmq-microservices-starter
          env:
            - { name: APP, value: ${n.name} }
            - { name: PORT, value: '${n.port}' }
            - name: RABBITMQ_PASSWORD
              valueFrom: { secretKeyRef: { name: rabbitmq-service-users, key: ${n.name} } }
            - name: DATABASE_PASSWORD
              valueFrom: { secretKeyRef: { name: postgres-app, key: password } }
            - name: RABBITMQ_URL
              value: '${node(0)},${node(1)},${node(2)}'
            - name: DATABASE_URL
              value: 'postgres://app:$(DATABASE_PASSWORD)@postgres-pooler-rw:5432/app'
            - name: DATABASE_DIRECT_URL
              value: 'postgres://app:$(DATABASE_PASSWORD)@postgres-rw:5432/app'
          envFrom:
            - configMapRef: { name: service-settings }
          ports:
            - { name: http, containerPort: ${n.port} }
          # Traffic while the database answers; /health/ready also fails on the broker and the
          # outbox's lag, which requests ride out (deploy/k8s/base/order.yaml).
          readinessProbe:
            httpGet: { path: /health/serving, port: http }
            periodSeconds: 5
            failureThreshold: 2
          livenessProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: 10
            failureThreshold: 3
          startupProbe:
            httpGet: { path: /health/live, port: http }
            periodSeconds: 2
            failureThreshold: 30
          # SIGTERM once the Service has dropped the pod: no request reaches a closed listener.
          lifecycle:
            preStop: { exec: { command: [sleep, '5'] } }
          resources:
            requests: { cpu: 100m, memory: 192Mi }
            limits: { memory: 384Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
---
apiVersion: v1
kind: Service
metadata:
  name: ${n.name}
  labels: ${labels}
spec:
  selector: { app.kubernetes.io/name: ${n.name} }
  ports:
    - { name: http, port: ${n.port}, targetPort: http }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${n.name}
spec:
  minAvailable: 1
  selector:
    matchLabels: { app.kubernetes.io/name: ${n.name} }
`;
}

/** The dev overlay's patch naming its one RabbitMQ node alone in the service's RABBITMQ_URL. */
export function devBrokerUrlPatch(n: ServiceNames): string {
  return `  - target: { kind: Deployment, name: ${n.name} }
    patch: |-
      - { op: test, path: ${BROKER_URL_VARIABLE}/name, value: RABBITMQ_URL }
      - op: replace
        path: ${BROKER_URL_VARIABLE}/value
        value: '${brokerNode(n, 0)}'
`;
}

export function serviceDefinition(n: ServiceNames): string {
  return `import { defineService } from './service-definition';

/** The ${n.name} service. Say in one line what it does: the tools and docs read this file. */
export const ${n.definition} = defineService({
  name: '${n.name}',
  port: ${n.port},
  database: { schema: '${n.schema}', tables: {} },
  // \`npm run generate -- handler ${n.name} <event-type>\` adds the queues it consumes.
  queues: {},
  publishes: {},
  broker: { passwordVariable: '${n.passwordVariable}' },
});
`;
}
