/**
 * Prometheus metrics through Micrometer: one binder per feature (sessions, streams, egress, HLS, bandwidth, RTMP
 * reassembly), JVM and Netty figures. Names and units follow Prometheus conventions; per-room labels are capped.
 *
 * <p>May import Micrometer, {@code stream}, {@code egress}, {@code netty}, {@code hls} and {@code bandwidth} (their
 * snapshots). Figures of the protocol edges (RTMP sessions and reassembly, HLS requests) are handed in by the
 * composition root as methods or suppliers, so metrics never imports an edge package.
 */
package fluxrelay.metrics;
