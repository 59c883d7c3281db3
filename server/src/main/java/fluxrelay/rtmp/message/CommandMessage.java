package fluxrelay.rtmp.message;

import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfValue;
import java.util.List;

/**
 * A command (RTMP spec 7.1.1, types 20 AMF0 and 17 AMF3): name, transaction id, command object and
 * optional arguments.
 *
 * @param messageStreamId 0 for NetConnection commands, the stream id for NetStream commands
 * @param name command name, e.g. {@code connect}, {@code publish}, {@code _result}, {@code onStatus}
 * @param transactionId transaction id (0 when no reply is expected)
 * @param commandObject command object, {@link AmfNull} when absent
 * @param arguments further values
 */
public record CommandMessage(int messageStreamId, String name, double transactionId, AmfValue commandObject,
                             List<AmfValue> arguments) implements RtmpMessage {

    public CommandMessage {
        commandObject = commandObject == null ? AmfNull.INSTANCE : commandObject;
        arguments = List.copyOf(arguments);
    }

    /** The argument at {@code index}, or {@link AmfNull} when absent. */
    public AmfValue argument(int index) {
        return index < arguments.size() ? arguments.get(index) : AmfNull.INSTANCE;
    }

    @Override
    public String toString() {
        return "'" + name + "' tx=" + (long) transactionId + " sid=" + messageStreamId + " " + commandObject + " " + arguments;
    }
}
