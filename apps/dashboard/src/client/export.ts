"use client";

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export const downloadJson = (name: string, data: unknown) =>
  download(name, "application/json", JSON.stringify(data, null, 2));

/** RFC 4180 CSV of rows (first row: headers). */
export function downloadCsv(name: string, rows: ReadonlyArray<ReadonlyArray<string | number>>): void {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  download(name, "text/csv", `${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`);
}
