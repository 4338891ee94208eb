# syntax=docker/dockerfile:1
# nsatlas agent. Build from the repository root:
#   docker build -f docker/agent.Dockerfile -t nsatlas-agent .
# It runs as root inside the container, but NOT privileged: give it only these capabilities
# (compose.yaml and the Kubernetes DaemonSets do):
#   SYS_PTRACE  read /proc/<pid>/ns/*, /proc/<pid>/fd and mountinfo of every user's processes,
#               and pidfd_getfd(2) to find the stack of a socket held in another stack
#   SYS_ADMIN   setns(2) into each network stack to read links, addresses, routes and sockets
#               over netlink (and the nsfs ioctls on namespaces owned by other users)
#   NET_ADMIN   only for actions (ip link/addr changes); leave it out with --read-only
# plus the host's pid namespace (pid: host / hostPID) and its /run/netns.

# 1. Keep only the workspaces the agent needs (turbo's documented Docker recipe).
FROM node:20-bookworm AS prune
WORKDIR /src
RUN npm install -g turbo@2.11.11
COPY . .
RUN turbo prune @nsatlas/agent --docker

# 2. Install and build; the native addon needs the C compiler this image has.
FROM node:20-bookworm AS build
WORKDIR /src
COPY --from=prune /src/out/json/ .
RUN npm ci --no-audit --no-fund
COPY --from=prune /src/out/full/ .
RUN npx turbo run build --filter=@nsatlas/agent... && npm prune --omit=dev --no-audit --no-fund

# 3. Runtime: Node, iproute2 for actions, the built workspaces and production dependencies.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends iproute2 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/packages ./packages
COPY --from=build /src/apps/agent ./apps/agent
ENV NODE_ENV=production
# /healthz of --metrics: 200 while connected to the hub (no token needed for it).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/apps/agent/bin/nsatlas-agent"]
CMD ["run", "--help"]
