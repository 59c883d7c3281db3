/**
 * Prometheus metrics through Micrometer: one binder per feature (sessions, streams, egress, HLS, bandwidth),
 * JVM and Netty figures. Names and units follow Prometheus conventions; per-room labels are capped.
 *
 * <p>May import Micrometer, {@code stream}, {@code egress}, {@code netty}, {@code bandwidth} (its snapshots),
 * the narrow event interfaces features declare ({@code rtmp.session.SessionEvents}) and the counters they keep
 * ({@code rtmp.chunk.ReassemblyBudget}).
 */
package fluxrelay.metrics;
