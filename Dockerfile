# syntax=docker/dockerfile:1
#
# One image recipe for every service; the build argument APP picks the one that runs:
#   docker build --build-arg APP=payment -t starter-payment .
# docker-compose.yml builds it once per service. Stages:
#   build      installs every dependency and bundles the apps (npm ci, npm run build)
#   prod-deps  installs production dependencies only (the bundles keep node_modules external)
#   runtime    the bundles + production node_modules, run by the unprivileged `node` user

# Pinned: Node.js 26 (Active LTS) is the runtime, the same patch release CI tests on (.nvmrc).
# Bookworm-slim is glibc-based like the development and CI machines, and small.
FROM node:26.12.1-bookworm-slim AS base

FROM base AS build
WORKDIR /app
# Manifests first, so the dependency layer is reused while only sources change; npm ci's
# postinstall applies patches/ (patch-package).
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM base AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# Without scripts: the postinstall's patch-package is a dev dependency. The patched packages
# come from the build stage, which applied patches/ (one line per patch there).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/node_modules/amqplib ./node_modules/amqplib

FROM base AS runtime
ARG APP=order
ENV NODE_ENV=production \
    APP=${APP}
WORKDIR /app
# Owned by root and only readable by `node`: the process cannot rewrite its own code.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
# All three bundles (a few hundred kB); each carries its SQL migrations in db/migrations.
COPY --from=build /app/dist ./dist
USER node
# Each service's port from its definition in libs/services (order 3000, payment 3001,
# notification 3002; a generated service's is added here); PORT overrides.
EXPOSE 3000 3001 3002
# `exec` replaces the shell, so node is PID 1 and receives SIGTERM itself: it drains and exits 0.
# The same command as `npm run start:<service>`: tracing is preloaded before the bundle; the
# smallest young generation and a heap grown only to 1.2 x its live size keep an idle service near
# 120 MB instead of 195 (docs/performance.md).
CMD ["sh", "-c", "exec node --max-semi-space-size=1 --heap-growing-percent=20 --require ./dist/libs/telemetry/preload.js dist/apps/$APP/main.js"]
