# nsatlas agent. Build from the repository root:
#   docker build -f docker/agent.Dockerfile -t nsatlas-agent .
# Base images are build arguments (a mirror, a pinned digest, or local stand-ins):
#   --build-arg NODE_BUILD_IMAGE=…    Node 24 with npm, a C compiler and python3 (default node:24-bookworm)
#   --build-arg NODE_RUNTIME_IMAGE=…  Node 24 on Debian bookworm (default node:24-bookworm-slim)
# Node sits in /usr/local in both, as in the official images; the build stage compiles
# against its headers (/usr/local/include/node), so no header download is attempted.
# It runs as root inside the container, but NOT privileged: give it only these capabilities
# (compose.yaml and the Kubernetes DaemonSets do):
#   SYS_PTRACE  read /proc/<pid>/ns/*, /proc/<pid>/fd and mountinfo of every user's processes,
#               and pidfd_getfd(2) to find the stack of a socket held in another stack
#   SYS_ADMIN   setns(2) into each network stack to read links, addresses, routes and sockets
#               over netlink (and the nsfs ioctls on namespaces owned by other users)
#   NET_ADMIN   only for actions (ip link/addr changes); leave it out with --read-only
# plus the host's pid namespace (pid: host / hostPID) and its /run/netns.
ARG NODE_BUILD_IMAGE=node:24-bookworm
ARG NODE_RUNTIME_IMAGE=node:24-bookworm-slim

# 1. Keep only the workspaces the agent needs (turbo's documented Docker recipe).
FROM ${NODE_BUILD_IMAGE} AS prune
WORKDIR /src
RUN npm install -g --no-audit --no-fund turbo@2.11.11
COPY . .
RUN turbo prune @nsatlas/agent --docker

# 2. Install and build; the native addon needs the C compiler this image has.
FROM ${NODE_BUILD_IMAGE} AS build
WORKDIR /src
ENV TURBO_TELEMETRY_DISABLED=1 npm_config_nodedir=/usr/local
COPY --from=prune /src/out/json/ .
# No install scripts: the agent's own addon is built by its build script below, and the only
# dependency with one, better-sqlite3, is the hub's (a workspace the pruned tree holds for the
# agent's tests): the agent never loads it, and it is removed before the runtime stage.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY --from=prune /src/out/full/ .
# turbo prune copies workspaces only; their tsconfig files extend the root's.
COPY --from=prune /src/tsconfig.base.json ./
RUN node_modules/.bin/turbo run build --filter=@nsatlas/agent... \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf packages/native/native packages/*/src apps/agent/src node_modules/better-sqlite3
COPY --from=prune /src/docker/drop-dev-dependencies.mjs /tmp/
RUN node /tmp/drop-dev-dependencies.mjs

# 3. Runtime: Node, iproute2 for actions, dumpcap (wireshark-common) for captures, the built
# workspaces and production dependencies.
FROM ${NODE_RUNTIME_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends iproute2 wireshark-common \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages
COPY --from=build /src/apps/agent ./apps/agent
ENV NODE_ENV=production
# /healthz of --metrics (compose.yaml's 127.0.0.1:9464): 200 while connected to the hub.
# node:http, not fetch: the probe runs every 30 s and should start fast on a busy host.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
  CMD ["node", "-e", "require('node:http').get('http://127.0.0.1:9464/healthz',r=>process.exit(r.statusCode===200?0:1)).on('error',e=>{console.error(e.message);process.exit(1)})"]
ENTRYPOINT ["node", "/app/apps/agent/bin/nsatlas-agent"]
CMD ["run", "--help"]
