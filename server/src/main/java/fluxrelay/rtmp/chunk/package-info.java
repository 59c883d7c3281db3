/**
 * The RTMP chunk stream (Adobe RTMP specification 1.0, section 5.3 "Chunking" and section 5.4
 * "Protocol Control Messages"): splitting whole messages into interleavable chunks and putting them
 * back together, per connection.
 *
 * <p>{@link fluxrelay.rtmp.chunk.ChunkDecoder} turns inbound bytes (after the handshake) into
 * {@link fluxrelay.rtmp.chunk.RawMessage}s and applies the control messages that change the framing
 * itself (Set Chunk Size, Abort, Window Acknowledgement Size); {@link fluxrelay.rtmp.chunk.ChunkEncoder}
 * does the reverse, choosing header compression per chunk stream. {@link fluxrelay.rtmp.chunk.ChunkedBody}
 * lets one pre-chunked body be shared by every viewer of a stream. Bounds come from
 * {@link fluxrelay.rtmp.chunk.ChunkLimits}.
 *
 * <p>Depends on Netty only; knows nothing of sessions, rooms, configuration or metrics.
 */
package fluxrelay.rtmp.chunk;
