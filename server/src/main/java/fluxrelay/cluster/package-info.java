/**
 * Several nodes serving one event through Redis (Lettuce): publish leases ({@link fluxrelay.cluster.RedisPublishLeases},
 * one encoder per feed in the whole cluster, with a fencing epoch), the origin lookup
 * ({@link fluxrelay.cluster.RedisRoomLocator}), and the edge's pull of a feed from its origin
 * ({@link fluxrelay.cluster.EdgePulls}): an RTMP client built from the server's own codecs, signed with the
 * cluster secret ({@link fluxrelay.cluster.PullSignature}), publishing into the local hub as any publisher does.
 *
 * <p>Implements interfaces that {@code ingest} and {@code playback} declare; wired only when
 * {@code relay.cluster.enabled}. May import {@code ingest}, {@code playback}, {@code stream}, {@code rooms},
 * {@code media}, {@code flv} and the RTMP codecs (never {@code rtmp.session}).
 */
package fluxrelay.cluster;
