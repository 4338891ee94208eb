/** Counters the server keeps for /metrics and tests. */
export interface ServerMetrics {
  framesIn: number;
  framesOut: number;
  rejectedFrames: number;
  resyncs: number;
}

export const newServerMetrics = (): ServerMetrics => ({ framesIn: 0, framesOut: 0, rejectedFrames: 0, resyncs: 0 });
