"use client";
import { QueryClient, QueryClientProvider, useQueryClient } from "@tanstack/react-query";
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from "@trpc/client";
import { useSubscription } from "@trpc/tanstack-react-query";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { ConnectionContext, type ConnectionState } from "#client/connection-state.ts";
import { TRPCProvider, useTRPC } from "#client/trpc.ts";
import type { AppRouter } from "../src/server/trpc/root";

function makeClients() {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: false, retry: 1 } },
  });
  // The URL is computed on first use: pages are also rendered on the server, where there is
  // no `location`; lazy mode opens the socket only when a subscription starts.
  const wsClient = createWSClient({
    url: () => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/trpc-ws`,
    lazy: { enabled: true, closeMs: 10_000 },
    retryDelayMs: (attempt) => Math.min(10_000, 500 * 2 ** attempt),
    // 4401: the server closed the socket because the token was revoked or the session ended.
    onClose: (cause) => {
      if (cause?.code === 4401) location.assign("/login");
    },
  });
  const trpcClient = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({ url: "/api/trpc" }),
      }),
    ],
  });
  return { queryClient, trpcClient, wsClient };
}

/** Listens to fleet events and refetches what they touch (throttled to 4 per second). */
function LiveUpdates({ onState }: { onState: (s: ConnectionState) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pending = useRef<Set<string>>(new Set());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const sub = useSubscription(
    trpc.live.events.subscriptionOptions(undefined, {
      onData: (event) => {
        const e = event.data;
        onState({ live: true, lagMs: Date.now() - e.at, lastEventAt: Date.now() });
        pending.current.add(e.hostId);
        if (timer.current) return;
        timer.current = setTimeout(() => {
          timer.current = null;
          const hosts = [...pending.current];
          pending.current.clear();
          void queryClient.invalidateQueries({ queryKey: trpc.hosts.list.queryKey() });
          for (const id of hosts) {
            if (id === "*") void queryClient.invalidateQueries();
            else void queryClient.invalidateQueries({ queryKey: trpc.hosts.inventory.queryKey({ id }) });
          }
        }, 250);
      },
    }),
  );
  useEffect(() => {
    if (sub.status === "error" || sub.status === "connecting") onState({ live: false, lagMs: null, lastEventAt: null });
  }, [sub.status, onState]);
  return null;
}

export function Providers({ children }: { children: ReactNode }) {
  const [clients] = useState(makeClients);
  const [conn, setConn] = useState<ConnectionState>({ live: false, lagMs: null, lastEventAt: null });
  useEffect(
    () => () => {
      void clients.wsClient.close();
    },
    [clients],
  );
  return (
    <QueryClientProvider client={clients.queryClient}>
      <TRPCProvider trpcClient={clients.trpcClient} queryClient={clients.queryClient}>
        <ConnectionContext.Provider value={conn}>
          <LiveUpdates onState={setConn} />
          {children}
        </ConnectionContext.Provider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
