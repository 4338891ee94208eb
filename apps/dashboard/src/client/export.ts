"use client";

import { csvLine } from "@nsatlas/protocol/csv";

function saveUrl(name: string, url: string): void {
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  saveUrl(name, url);
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A standalone SVG of a drawing: the whole `area` (not the part in view), on a background of
 * `background`, with the colours the page's stylesheet gave every element written inline. */
export function svgSnapshot(svg: SVGSVGElement, area: Area, background: string): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = svg.querySelectorAll("*");
  const dst = clone.querySelectorAll("*");
  src.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const target = dst[i] as SVGElement | undefined;
    target?.setAttribute(
      "style",
      `fill:${cs.fill};stroke:${cs.stroke};stroke-width:${cs.strokeWidth};stroke-dasharray:${cs.strokeDasharray};opacity:${cs.opacity};font:${cs.font}`,
    );
  });
  clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  clone.setAttribute("width", String(Math.ceil(area.width)));
  clone.setAttribute("height", String(Math.ceil(area.height)));
  clone.setAttribute("viewBox", `${area.x} ${area.y} ${area.width} ${area.height}`);
  clone.querySelector("g")?.setAttribute("transform", "");
  const bg = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  for (const [k, v] of Object.entries({ x: area.x, y: area.y, width: area.width, height: area.height }))
    bg.setAttribute(k, String(v));
  bg.setAttribute("style", `fill:${background}`);
  clone.insertBefore(bg, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

export const downloadSvg = (name: string, svgText: string) => download(name, "image/svg+xml", svgText);

/** Renders an SVG text to a PNG at `scale` on `background` and saves it. */
export function downloadPng(name: string, svgText: string, area: Area, background: string, scale = 2): Promise<void> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.ceil(area.width * scale);
      canvas.height = Math.ceil(area.height * scale);
      const ctx = canvas.getContext("2d");
      if (!ctx) return reject(new Error("no 2d canvas"));
      ctx.fillStyle = background;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0);
      canvas.toBlob((blob) => {
        if (!blob) return reject(new Error("PNG encoding failed"));
        const url = URL.createObjectURL(blob);
        saveUrl(name, url);
        setTimeout(() => URL.revokeObjectURL(url), 1_000);
        resolve();
      }, "image/png");
    };
    img.onerror = () => reject(new Error("the SVG did not load as an image"));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  });
}

export const downloadJson = (name: string, data: unknown) =>
  download(name, "application/json", JSON.stringify(data, null, 2));

/** RFC 4180 CSV of rows (first row: headers). */
export function downloadCsv(name: string, rows: ReadonlyArray<ReadonlyArray<string | number>>): void {
  download(name, "text/csv", rows.map(csvLine).join(""));
}
