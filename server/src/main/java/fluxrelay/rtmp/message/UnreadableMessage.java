package fluxrelay.rtmp.message;

/**
 * A message that could not be understood (malformed AMF, unsupported type such as shared objects); its
 * payload is already released. The session logs it and the connection lives on.
 *
 * @param typeId message type id
 * @param messageStreamId message stream id
 * @param reason what was wrong
 */
public record UnreadableMessage(int typeId, int messageStreamId, String reason) implements RtmpMessage {
}
