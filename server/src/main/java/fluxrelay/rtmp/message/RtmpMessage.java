package fluxrelay.rtmp.message;

/**
 * An RTMP message by meaning (RTMP spec 5.4 protocol control, 6.2 user control, 7.1 command, data and
 * media messages). Control and command messages are immutable records; media and data messages hold a
 * payload {@code ByteBuf} and say who releases it.
 */
public sealed interface RtmpMessage permits SetChunkSize, AbortMessage, Acknowledgement, WindowAckSize, SetPeerBandwidth,
        UserControl, CommandMessage, DataMessage, MediaMessage, UnreadableMessage {
}
