/**
 * Several nodes serving one event through a shared Redis (Lettuce): the shared room store with its local copy
 * kept current by pub/sub ({@link fluxrelay.cluster.RedisRoomStore}), the node registry and heartbeats
 * ({@link fluxrelay.cluster.NodeRegistry}), the one-shot rooms import, and the connection they share
 * ({@link fluxrelay.cluster.RedisLink}). Used only when {@code relay.cluster.enabled}.
 *
 * <p>May import ingest, playback, stream, rooms, admin, config, media, bandwidth and the RTMP client codecs; outside
 * the project only the JDK, Lettuce, Netty, Reactor, SLF4J and Jackson.
 */
package fluxrelay.cluster;
