package fluxrelay.rtmp.handshake;

/**
 * User events fired by the handshake handlers to the handlers after them in the pipeline (handlers placed
 * before the handshake handler do not see them). Exactly one {@link HandshakeCompleted} or one
 * {@link HandshakeFailed} is fired per connection, possibly preceded by {@link HandshakeWarning}s.
 */
public sealed interface HandshakeEvent permits HandshakeCompleted, HandshakeFailed, HandshakeWarning {
}
