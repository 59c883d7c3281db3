/**
 * Prometheus metrics through Micrometer: one binder per feature (sessions, streams, egress), JVM and
 * Netty figures. Names and units follow Prometheus conventions; per-room labels are capped.
 *
 * <p>May import Micrometer, {@code stream}, {@code egress}, {@code netty}, and the narrow event interfaces
 * features declare ({@code rtmp.session.SessionEvents}).
 */
package fluxrelay.metrics;
