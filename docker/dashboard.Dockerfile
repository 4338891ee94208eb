# nsatlas dashboard (Next UI, /agent websocket, REST, /metrics). Build from the repository root:
#   docker build -f docker/dashboard.Dockerfile -t nsatlas-dashboard .
# Base images are build arguments, as in agent.Dockerfile (defaults node:24-bookworm for the
# build, node:24-bookworm-slim at run time; Node in /usr/local).
# Runs as an unprivileged user; state (SQLite: tokens, sessions, audit log, history) lives in
# /var/lib/nsatlas, a volume. Listens on 0.0.0.0:3000 in the container (publish it on the
# host's loopback, or put TLS in front: NSATLAS_TLS_CERT / NSATLAS_TLS_KEY).
ARG NODE_BUILD_IMAGE=node:24-bookworm
ARG NODE_RUNTIME_IMAGE=node:24-bookworm-slim

FROM ${NODE_BUILD_IMAGE} AS prune
WORKDIR /src
RUN npm install -g --no-audit --no-fund turbo@2.11.11
COPY . .
RUN turbo prune @nsatlas/dashboard --docker

# better-sqlite3 (not N-API: built for this Node's ABI) and the native addon compile here,
# against the image's own Node headers; no prebuilt binary or header is downloaded.
FROM ${NODE_BUILD_IMAGE} AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 \
    npm_config_nodedir=/usr/local npm_config_build_from_source=true
COPY --from=prune /src/out/json/ .
RUN npm ci --no-audit --no-fund
COPY --from=prune /src/out/full/ .
# turbo prune copies workspaces only; their tsconfig files extend the root's.
COPY --from=prune /src/tsconfig.base.json ./
# Then drop what only building needed: dev dependencies, Next's build cache, the C sources.
RUN node_modules/.bin/turbo run build --filter=@nsatlas/dashboard... \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf apps/dashboard/.next/cache packages/native/native \
      node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
      node_modules/better-sqlite3/build/Release/obj.target node_modules/better-sqlite3/build/Release/.deps
# typescript stays after the prune as a peer of @trpc/*, which need it for their types only.
COPY --from=prune /src/docker/drop-dev-dependencies.mjs /tmp/
RUN node /tmp/drop-dev-dependencies.mjs node_modules/typescript

FROM ${NODE_RUNTIME_IMAGE}
# tcpdump: the hub compiles capture filters with libpcap's compiler (tcpdump -d) when it plans.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tcpdump \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages
COPY --from=build /src/apps ./apps
RUN groupadd --system --gid 10001 nsatlas \
 && useradd --system --uid 10001 --gid nsatlas --home-dir /var/lib/nsatlas nsatlas \
 && mkdir -p /var/lib/nsatlas && chown nsatlas:nsatlas /var/lib/nsatlas && chmod 0700 /var/lib/nsatlas
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 \
    NSATLAS_HOST=0.0.0.0 NSATLAS_PORT=3000 NSATLAS_DATA_DIR=/var/lib/nsatlas \
    NSATLAS_LOCAL_AGENT=0
USER nsatlas
EXPOSE 3000
VOLUME ["/var/lib/nsatlas"]
# /healthz needs no token. Over TLS the probe speaks https (and trusts any certificate: it
# only asks whether this process answers).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const t=!!process.env.NSATLAS_TLS_CERT;require(t?'node:https':'node:http').get({host:'127.0.0.1',port:process.env.NSATLAS_PORT||3000,path:'/healthz',rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
WORKDIR /app/apps/dashboard
CMD ["node", "dist/server/main.js"]
