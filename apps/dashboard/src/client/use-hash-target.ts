"use client";
import { useEffect, useState } from "react";

/** The element id named by the URL's hash (`#net:4026532001`), followed as it changes; a
 * virtualised list uses it to scroll to a card that is not in the DOM yet. */
export function useHashTarget(): { target: string | null; at: number } {
  const [state, setState] = useState<{ target: string | null; at: number }>({ target: null, at: 0 });
  useEffect(() => {
    const read = () => {
      const h = decodeURIComponent(window.location.hash.slice(1));
      setState({ target: h || null, at: Date.now() });
    };
    read();
    window.addEventListener("hashchange", read);
    return () => window.removeEventListener("hashchange", read);
  }, []);
  return state;
}
