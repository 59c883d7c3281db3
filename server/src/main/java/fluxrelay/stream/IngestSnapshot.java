package fluxrelay.stream;

/**
 * Ingest figures of the current publish at one moment.
 *
 * @param videoBytes video payload bytes received
 * @param audioBytes audio payload bytes received
 * @param videoFrames video frames received
 * @param audioFrames audio frames received
 * @param keyframes keyframes received
 * @param keyframeIntervalMs distance between the last two keyframes, ms (0 until two were seen)
 * @param videoKbps video bitrate over the last measured second
 * @param audioKbps audio bitrate over the last measured second
 * @param measuredFps video frames per second over the last measured second
 */
public record IngestSnapshot(long videoBytes, long audioBytes, long videoFrames, long audioFrames, long keyframes,
                             long keyframeIntervalMs, double videoKbps, double audioKbps, double measuredFps) {
}
