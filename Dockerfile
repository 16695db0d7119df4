# The LANrage control server as a container (multi-stage, runs as the unprivileged `node` user).
#   docker build -t lanrage-server .
#   docker run -d -p 8667:8667 -v lanrage-data:/data --name lanrage lanrage-server
# Data (SQLite, WAL) lives in the /data volume. `docker stop` sends SIGTERM: the server drains,
# telling clients to reconnect (close code 1012), which they do once it is back.

# Node 22 (LTS): 20 is out of support since 2026-04-30, and better-sqlite3 12 builds for 22.

# 1. Build the plain-JavaScript server from the repository (needs the dev dependencies).
FROM node:22-bookworm-slim AS build
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: building needs esbuild (its binary comes as an optional package), not a
# compiled better-sqlite3 or Electron.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build:server

# 2. Only the server's own dependencies (dist/server has its own package.json and lock).
FROM node:22-bookworm-slim AS deps
# better-sqlite3 compiles from source when no prebuilt binary can be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/dist/server/package.json /src/dist/server/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# 3. Runtime: Node, the bundle and its node_modules; no compiler, no repository.
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist/server/ ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8667
# Liveness on the plain-HTTP side of the port the server listens on (LANRAGE_SERVER_PORT: set
# the port there rather than with --port, and the probe follows it). With TLS in the container
# (--tls-cert) this probe fails and the container reads unhealthy: override it with an https://
# one (`docker run --health-cmd`, or `healthcheck:` in Compose), or terminate TLS at a reverse
# proxy and keep the container on plain HTTP.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.LANRAGE_SERVER_PORT || 8667}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# The server's Node flags (server/node-flags.ts: a larger young generation).
ENV NODE_OPTIONS=--max-semi-space-size=64
# Settings as LANRAGE_SERVER_ variables (server/cli/env-flags.ts), so that `docker run … IMAGE
# --log-level debug` adds a flag instead of replacing these, and Compose overlays add theirs.
ENV LANRAGE_SERVER_HOST=0.0.0.0 LANRAGE_SERVER_PORT=8667 LANRAGE_SERVER_DATA_DIR=/data
ENTRYPOINT ["node", "/app/cli.js"]
