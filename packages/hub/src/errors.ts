/** A frame the hub refuses; `closeCode` is the websocket close code to answer with. */
export class HubFrameError extends Error {
  readonly code: string;
  constructor(
    code: string,
    readonly closeCode: number,
    message: string,
  ) {
    super(message);
    this.name = "HubFrameError";
    this.code = code;
  }
}
