import type { ReactNode } from "react";
import { AppHeader } from "#client/app-header.tsx";
import { AuthGate } from "#client/auth-gate.tsx";
import { Providers } from "../providers";

export default function AppLayout({ children }: { children: ReactNode }) {
  return (
    <Providers>
      <AuthGate>
        <AppHeader />
        <div className="mx-auto max-w-7xl px-4 py-6">{children}</div>
      </AuthGate>
    </Providers>
  );
}
