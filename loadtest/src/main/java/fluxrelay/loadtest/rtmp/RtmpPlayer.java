package fluxrelay.loadtest.rtmp;

import fluxrelay.loadtest.metrics.ViewerStats;
import fluxrelay.loadtest.stamp.LatencyStamp;
import fluxrelay.loadtest.stamp.LoadClock;
import fluxrelay.rtmp.chunk.AcknowledgementDue;
import fluxrelay.rtmp.chunk.MessageTypes;
import fluxrelay.rtmp.chunk.RawMessage;
import fluxrelay.rtmp.message.Acknowledgement;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.rtmp.message.RtmpMessage;
import fluxrelay.rtmp.message.UserControl;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One simulated RTMP player: {@code connect}, {@code createStream}, {@code play} with a 3 s buffer as
 * ffmpeg and Flash do (RTMP spec 7.2.1.1, 7.2.1.3, 7.2.2.1), then counts what arrives.
 *
 * <p>Audio and video messages are read in place: size, keyframe flag (FLV spec E.4.3.1), and the latency
 * stamp of video frames ({@link LatencyStamp}); nothing is allocated per frame beyond the chunk decoder's
 * pooled message buffer, released here. Runs on the channel's event loop.
 */
public final class RtmpPlayer extends ChannelInboundHandlerAdapter {

    private static final int BUFFER_MILLIS = 3000;
    private static final int AVC = 7;

    private final RtmpUrl url;
    private final ViewerStats stats;
    private int streamId;
    private int nalLengthSize = 4;
    private boolean closing;

    public RtmpPlayer(RtmpUrl url, ViewerStats stats) {
        this.url = url;
        this.stats = stats;
    }

    /** Stops the viewer; a later close of the connection is not a failure. */
    public void closing() {
        closing = true;
        stats.closed();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // The handshake handler holds this until the handshake is done.
        ctx.writeAndFlush(Commands.connect(url, false));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RawMessage raw)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        switch (raw.typeId()) {
            case MessageTypes.VIDEO -> {
                video(raw.payload());
                raw.release();
            }
            case MessageTypes.AUDIO -> {
                stats.media(System.nanoTime(), raw.payload().readableBytes(), 1, false);
                raw.release();
            }
            case MessageTypes.COMMAND_AMF0, MessageTypes.COMMAND_AMF3, MessageTypes.USER_CONTROL -> control(ctx, Commands.decode(raw));
            default -> raw.release();
        }
    }

    private void video(ByteBuf payload) {
        long now = System.nanoTime();
        int from = payload.readerIndex();
        int to = payload.writerIndex();
        int size = to - from;
        if (size < 2) {
            stats.media(now, size, 1, false);
            return;
        }
        int first = payload.getUnsignedByte(from);
        boolean avc = (first & 0x0F) == AVC;
        int packetType = payload.getUnsignedByte(from + 1);
        if (avc && packetType == 0) {
            nalLengthSize = LatencyStamp.nalLengthSize(payload, from, to);
            stats.media(now, size, 1, false);
            return;
        }
        boolean keyframe = (first >> 4) == 1 && (!avc || packetType == 1);
        stats.media(now, size, 1, keyframe);
        long stamp = LatencyStamp.read(payload, from, to, nalLengthSize);
        if (stamp != LatencyStamp.NONE) {
            stats.stamp(stamp, LoadClock.microsAt(now), keyframe);
        }
    }

    private void control(ChannelHandlerContext ctx, RtmpMessage message) {
        if (message instanceof CommandMessage command) {
            command(ctx, command);
        } else if (message instanceof UserControl control && control.eventType() == UserControl.PING_REQUEST) {
            ctx.writeAndFlush(UserControl.pingResponse(control.value()), ctx.voidPromise());
        }
    }

    private void command(ChannelHandlerContext ctx, CommandMessage command) {
        switch (command.name()) {
            case "_result" -> {
                if (command.transactionId() == Commands.CONNECT_TX) {
                    ctx.writeAndFlush(Commands.createStream(), ctx.voidPromise());
                } else if (command.transactionId() == Commands.CREATE_STREAM_TX) {
                    streamId = (int) command.argument(0).asNumber();
                    ctx.write(Commands.play(streamId, url.streamName()), ctx.voidPromise());
                    ctx.writeAndFlush(new UserControl(UserControl.SET_BUFFER_LENGTH, streamId, BUFFER_MILLIS), ctx.voidPromise());
                }
            }
            case "_error" -> fail(ctx, "refused: " + Commands.statusCode(command));
            case "onStatus" -> {
                if ("error".equals(Commands.statusLevel(command))) {
                    fail(ctx, Commands.statusCode(command));
                }
            }
            default -> {
                // onBWDone, |RtmpSampleAccess and the like need no answer.
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof AcknowledgementDue due) {
            ctx.writeAndFlush(new Acknowledgement(due.sequenceNumber()), ctx.voidPromise());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!closing) {
            stats.fail("connection closed by the server");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        if (!closing) {
            stats.fail(reason);
            closing = true;
            ctx.close();
        }
    }
}
