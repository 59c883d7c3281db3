/**
 * Several nodes serving one event through a shared Redis (Lettuce): the shared room store with its local copy
 * kept current by pub/sub ({@link fluxrelay.cluster.RedisRoomStore}), the node registry and heartbeats with each
 * node's viewers by room ({@link fluxrelay.cluster.NodeRegistry}), the shared attendee revocations
 * ({@link fluxrelay.cluster.RedisRevocations}), the one-shot rooms import, the connection they share
 * ({@link fluxrelay.cluster.RedisLink}); publish leases ({@link fluxrelay.cluster.RedisPublishLeases}, one encoder
 * per feed in the whole cluster, with a fencing epoch), the origin lookup ({@link fluxrelay.cluster.RedisRoomLocator}),
 * and the edge's pull of a feed from its origin ({@link fluxrelay.cluster.EdgePulls}): an RTMP client built from the
 * server's own codecs, signed with the cluster secret ({@link fluxrelay.cluster.PullSignature}), publishing into the
 * local hub as any publisher does.
 *
 * <p>Implements interfaces that {@code ingest}, {@code playback} and {@code admin} declare; wired only when
 * {@code relay.cluster.enabled}. May import ingest, playback, stream, rooms, admin, config, media, flv, bandwidth,
 * logging and the RTMP codecs (never {@code rtmp.session}); outside the project only the JDK, Lettuce, Netty,
 * Reactor, SLF4J and Jackson.
 */
package fluxrelay.cluster;
