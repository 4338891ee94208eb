"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

/** A link that prefetches its page when pointed at or focused, not when it scrolls into
 * view: a stacks page holds dozens of pid links, and prefetching each is a request storm. */
export function HoverLink({
  href,
  ...rest
}: Omit<ComponentProps<typeof Link>, "prefetch" | "href"> & { href: string }) {
  const router = useRouter();
  const warm = () => router.prefetch(href);
  return <Link href={href} prefetch={false} onMouseEnter={warm} onFocus={warm} {...rest} />;
}
