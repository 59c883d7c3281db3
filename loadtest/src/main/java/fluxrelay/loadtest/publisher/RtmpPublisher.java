package fluxrelay.loadtest.publisher;

import fluxrelay.flv.FlvTag;
import fluxrelay.flv.FlvTagDemuxer;
import fluxrelay.loadtest.rtmp.Commands;
import fluxrelay.loadtest.rtmp.RtmpUrl;
import fluxrelay.loadtest.source.Pacer;
import fluxrelay.loadtest.source.StreamSource;
import fluxrelay.loadtest.stamp.LatencyStamp;
import fluxrelay.loadtest.stamp.LoadClock;
import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.chunk.MessageTypes;
import fluxrelay.rtmp.chunk.RawMessage;
import fluxrelay.rtmp.message.ChunkStreamIds;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.rtmp.message.RtmpMessage;
import fluxrelay.rtmp.message.SetChunkSize;
import fluxrelay.rtmp.message.UserControl;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One simulated encoder: publishes an FLV file to a live stream the way ffmpeg and OBS do (Set Chunk Size,
 * {@code connect}, {@code releaseStream}, {@code FCPublish}, {@code createStream}, {@code publish}; RTMP spec
 * 7.2), then sends {@code @setDataFrame onMetaData}, the sequence headers and the media tags in real time,
 * looped with continuous timestamps ({@link Pacer}). Each video frame carries its send time
 * ({@link LatencyStamp}) when stamping is on. Runs on the channel's event loop.
 */
public final class RtmpPublisher extends ChannelInboundHandlerAdapter {

    private static final byte[] SET_DATA_FRAME = amf0String("@setDataFrame");

    private final RtmpUrl url;
    private final StreamSource source;
    private final int chunkSize;
    private final boolean stamp;
    private final PublisherStats stats;
    private final Pacer pacer;
    private ChannelHandlerContext ctx;
    private int streamId;
    private long startNanos;
    private ScheduledFuture<?> wake;
    private boolean stopped;

    /**
     * @param chunkSize chunk size announced before {@code connect} (OBS and ffmpeg use 4096)
     * @param stamp whether to put a latency stamp in every video frame
     */
    public RtmpPublisher(RtmpUrl url, StreamSource source, int chunkSize, boolean stamp, PublisherStats stats) {
        this.url = url;
        this.source = source;
        this.chunkSize = chunkSize;
        this.stamp = stamp;
        this.stats = stats;
        List<FlvTag> media = source.media();
        long[] timestamps = new long[media.size()];
        for (int i = 0; i < timestamps.length; i++) {
            timestamps[i] = media.get(i).timestamp();
        }
        this.pacer = new Pacer(timestamps, source.loopDurationMillis());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.write(new SetChunkSize(chunkSize));
        ctx.writeAndFlush(Commands.connect(url, true));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RawMessage raw)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        switch (raw.typeId()) {
            case MessageTypes.COMMAND_AMF0, MessageTypes.COMMAND_AMF3, MessageTypes.USER_CONTROL -> control(Commands.decode(raw));
            default -> raw.release();
        }
    }

    private void control(RtmpMessage message) {
        if (message instanceof UserControl control && control.eventType() == UserControl.PING_REQUEST) {
            ctx.writeAndFlush(UserControl.pingResponse(control.value()), ctx.voidPromise());
        } else if (message instanceof CommandMessage command) {
            command(command);
        }
    }

    private void command(CommandMessage command) {
        String name = command.name();
        if (name.equals("_result") && command.transactionId() == Commands.CONNECT_TX) {
            ctx.write(new CommandMessage(0, "releaseStream", 3, AmfNull.INSTANCE, List.of(new AmfString(url.streamName()))));
            ctx.write(new CommandMessage(0, "FCPublish", 4, AmfNull.INSTANCE, List.of(new AmfString(url.streamName()))));
            ctx.writeAndFlush(Commands.createStream());
        } else if (name.equals("_result") && command.transactionId() == Commands.CREATE_STREAM_TX) {
            streamId = (int) command.argument(0).asNumber();
            ctx.writeAndFlush(Commands.publish(streamId, url.streamName()));
        } else if (name.equals("_error") && command.transactionId() <= Commands.CREATE_STREAM_TX) {
            fail("refused: " + Commands.statusCode(command));
        } else if (name.equals("onStatus")) {
            String code = Commands.statusCode(command);
            if ("NetStream.Publish.Start".equals(code)) {
                start();
            } else if ("error".equals(Commands.statusLevel(command))) {
                fail(code);
            }
        }
    }

    private void start() {
        if (startNanos != 0) {
            return;
        }
        stats.publishing();
        for (FlvTag tag : source.headers()) {
            if (tag.type() == FlvTagDemuxer.SCRIPT) {
                ByteBuf body = ctx.alloc().buffer(SET_DATA_FRAME.length + tag.body().readableBytes());
                body.writeBytes(SET_DATA_FRAME).writeBytes(tag.body(), tag.body().readerIndex(), tag.body().readableBytes());
                ctx.write(new RawMessage(ChunkStreamIds.STREAM_STATUS, MessageTypes.DATA_AMF0, 0, streamId, body), ctx.voidPromise());
            } else {
                send(tag, 0, false);
            }
        }
        ctx.flush();
        startNanos = System.nanoTime();
        pump();
    }

    /** Sends every tag that is due, then sleeps until the next one is. */
    private void pump() {
        if (stopped || !ctx.channel().isActive()) {
            return;
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        boolean any = false;
        while (pacer.due(elapsedMillis)) {
            send(source.media().get(pacer.nextIndex()), pacer.nextTimestamp(), stamp);
            pacer.advance();
            any = true;
        }
        if (any) {
            ctx.flush();
        }
        long wakeNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(pacer.nextTimestamp());
        wake = ctx.executor().schedule(this::pump, Math.max(0, wakeNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void send(FlvTag tag, long timestamp, boolean stampIt) {
        ByteBuf body = tag.body();
        boolean video = tag.type() == FlvTagDemuxer.VIDEO;
        ByteBuf payload = video && stampIt && LatencyStamp.isStampable(body)
                ? LatencyStamp.insert(ctx.alloc(), body, source.nalLengthSize(), LoadClock.nowMicros())
                : body.retainedDuplicate();
        stats.sent(payload.readableBytes());
        int csid = video ? ChunkStreamIds.VIDEO : ChunkStreamIds.AUDIO;
        int type = video ? MessageTypes.VIDEO : MessageTypes.AUDIO;
        ctx.write(new RawMessage(csid, type, timestamp & 0xFFFFFFFFL, streamId, payload), ctx.voidPromise());
    }

    /** Stops sending; the connection is closed by the caller. */
    public void stop() {
        stopped = true;
        if (wake != null) {
            wake.cancel(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!stopped) {
            fail("connection closed by the server");
        }
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        ctx.close();
    }

    private void fail(String reason) {
        stats.fail(reason);
        stop();
        if (ctx != null) {
            ctx.close();
        }
    }

    private static byte[] amf0String(String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[3 + text.length];
        out[0] = 0x02;
        out[1] = (byte) (text.length >> 8);
        out[2] = (byte) text.length;
        System.arraycopy(text, 0, out, 3, text.length);
        return out;
    }
}
