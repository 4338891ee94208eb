import { headers } from "next/headers";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata = { title: "nsatlas", description: "Linux namespaces and network stacks, live" };

// Applies the saved theme (or the system's) before the first paint, to avoid a flash.
const themeScript = `try{const t=localStorage.getItem("nsatlas-theme");const d=t?t==="dark":matchMedia("(prefers-color-scheme: dark)").matches;document.documentElement.classList.toggle("dark",d)}catch{}`;

// Every page is rendered per request: the Content-Security-Policy admits inline scripts only
// with this response's nonce, which the custom server passes in the x-nonce request header.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant inline script, no user input */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        {children}
      </body>
    </html>
  );
}
