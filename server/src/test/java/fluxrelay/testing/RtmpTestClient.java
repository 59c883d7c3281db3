package fluxrelay.testing;

import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfNumber;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.amf.AmfValue;
import fluxrelay.rtmp.chunk.AcknowledgementDue;
import fluxrelay.rtmp.chunk.ChunkDecoder;
import fluxrelay.rtmp.chunk.ChunkEncoder;
import fluxrelay.rtmp.chunk.ChunkLimits;
import fluxrelay.rtmp.handshake.ClientHandshakeHandler;
import fluxrelay.rtmp.handshake.HandshakeKind;
import fluxrelay.rtmp.message.Acknowledgement;
import fluxrelay.rtmp.message.AggregateSplitter;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.rtmp.message.DataMessage;
import fluxrelay.rtmp.message.MediaMessage;
import fluxrelay.rtmp.message.RtmpMessage;
import fluxrelay.rtmp.message.RtmpMessageDecoder;
import fluxrelay.rtmp.message.RtmpMessageEncoder;
import fluxrelay.rtmp.message.SetChunkSize;
import fluxrelay.rtmp.message.UserControl;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The project's own RTMP client for tests: connects with our handshake and chunk codec, plays or
 * publishes, and records every status and media message it receives.
 */
public final class RtmpTestClient implements AutoCloseable {

    /** A media or data message received while playing (payload summarised, not kept). */
    public record Received(int typeId, long timestamp, int size, boolean keyframe, boolean sequenceHeader, boolean endOfSequence,
                           long receivedNanos) {

        public boolean isVideo() {
            return typeId == MediaMessage.VIDEO;
        }

        public boolean isAudio() {
            return typeId == MediaMessage.AUDIO;
        }
    }

    /**
     * An Enhanced RTMP v2 OneTrack multitrack message received while playing: its track id, its packet type (video:
     * 0 SequenceStart, 1 CodedFrames, 2 SequenceEnd, 3 CodedFramesX; audio: 0 SequenceStart, 1 CodedFrames), and the
     * track's data when it is a sequence start (the decoder configuration), else null.
     */
    public record TrackMessage(int typeId, int track, long timestamp, int packetType, boolean keyframe, int fourCc,
                               byte[] sequenceStart) {

        public boolean isVideo() {
            return typeId == MediaMessage.VIDEO;
        }
    }

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Map<Integer, CompletableFuture<CommandMessage>> pending = new ConcurrentHashMap<>();
    private final List<CommandMessage> statuses = new CopyOnWriteArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<TrackMessage> trackMessages = new CopyOnWriteArrayList<>();
    private final long connectNanos = System.nanoTime();
    private Channel channel;
    private int nextTx = 1;

    private RtmpTestClient(EventLoopGroup group, boolean ownsGroup) {
        this.group = group;
        this.ownsGroup = ownsGroup;
    }

    /** Connects to {@code rtmp://host:port/app} on its own event loop. */
    public static RtmpTestClient connect(String host, int port, String app) throws Exception {
        return connect(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()), true, host, port, app);
    }

    /**
     * Connects announcing Enhanced RTMP v2 with multitrack ({@code capsEx} Multitrack, {@code videoFourCcInfoMap}
     * and {@code audioFourCcInfoMap} decoding H.264 and AAC) in its {@code connect}, as a multitrack player does.
     */
    public static RtmpTestClient connectMultitrack(String host, int port, String app) throws Exception {
        RtmpTestClient client = new RtmpTestClient(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()), true);
        client.open(host, port, 0);
        AmfObject command = AmfObject.of("app", app, "type", "nonprivate", "flashVer", "FMLE/3.0 (compatible; fluxrelay-test)",
                "tcUrl", "rtmp://" + host + ":" + port + "/" + app)
                .with("videoFourCcInfoMap", AmfObject.of("avc1", 1))
                .with("audioFourCcInfoMap", AmfObject.of("mp4a", 1))
                .with("capsEx", 0x02); // CapsExMask.Multitrack
        CommandMessage reply = client.call("connect", command);
        if (!"_result".equals(reply.name())) {
            client.close();
            throw new IllegalStateException("connect refused: " + reply);
        }
        return client;
    }

    /** Connects using a shared event loop group (many clients). */
    public static RtmpTestClient connect(EventLoopGroup group, String host, int port, String app) throws Exception {
        return connect(group, false, host, port, app);
    }

    /** Connects with a small fixed TCP receive buffer: a viewer whose window fills fast when it stops reading. */
    public static RtmpTestClient connectSmallWindow(String host, int port, String app) throws Exception {
        return connect(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()), true, host, port, app, 16 * 1024);
    }

    private static RtmpTestClient connect(EventLoopGroup group, boolean owns, String host, int port, String app) throws Exception {
        return connect(group, owns, host, port, app, 0);
    }

    private static RtmpTestClient connect(EventLoopGroup group, boolean owns, String host, int port, String app, int receiveBuffer)
            throws Exception {
        RtmpTestClient client = new RtmpTestClient(group, owns);
        client.open(host, port, receiveBuffer);
        CommandMessage reply = client.call("connect", AmfObject.of("app", app, "type", "nonprivate",
                "flashVer", "FMLE/3.0 (compatible; fluxrelay-test)", "tcUrl", "rtmp://" + host + ":" + port + "/" + app));
        if (!"_result".equals(reply.name())) {
            client.close();
            throw new IllegalStateException("connect refused: " + reply);
        }
        return client;
    }

    private void open(String host, int port, int receiveBuffer) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ClientHandshakeHandler(HandshakeKind.PLAIN));
                        ch.pipeline().addLast(new ChunkEncoder());
                        ch.pipeline().addLast(new ChunkDecoder(ChunkLimits.DEFAULTS));
                        ch.pipeline().addLast(new AggregateSplitter());
                        ch.pipeline().addLast(new RtmpMessageEncoder());
                        ch.pipeline().addLast(new RtmpMessageDecoder(AmfLimits.DEFAULT));
                        ch.pipeline().addLast(new Handler());
                    }
                });
        if (receiveBuffer > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        channel = bootstrap.connect(host, port).sync().channel();
    }

    /** Sends a command on stream 0 and waits for its {@code _result}/{@code _error}. */
    public CommandMessage call(String name, AmfValue object, AmfValue... args) throws Exception {
        return call(0, name, object, args);
    }

    private CommandMessage call(int streamId, String name, AmfValue object, AmfValue... args) throws Exception {
        int tx = nextTx++;
        CompletableFuture<CommandMessage> reply = new CompletableFuture<>();
        pending.put(tx, reply);
        channel.writeAndFlush(new CommandMessage(streamId, name, tx, object, List.of(args)));
        return reply.get(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Two round trips on stream 0 ({@code getStreamLength}, answered at once): once they are back, the server has
     * read everything sent before them, and its event loop has run, and flushed ahead of the answers, every
     * write queued for this connection before the first one arrived (the loop runs queued tasks between reads).
     * What a test asserts did not arrive had its chance to.
     */
    public void sync() throws Exception {
        call("getStreamLength", AmfNull.INSTANCE);
        call("getStreamLength", AmfNull.INSTANCE);
    }

    /** Sends a command without waiting. */
    public void send(int streamId, String name, AmfValue... args) {
        channel.writeAndFlush(new CommandMessage(streamId, name, nextTx++, AmfNull.INSTANCE, List.of(args)));
    }

    /** {@code createStream}; returns the new stream id. */
    public int createStream() throws Exception {
        CommandMessage reply = call("createStream", AmfNull.INSTANCE);
        return (int) reply.argument(0).asNumber();
    }

    /** {@code play} of a playback name on a new stream; returns the stream id. */
    public int play(String name) throws Exception {
        int sid = createStream();
        channel.writeAndFlush(playCommand(sid, name));
        return sid;
    }

    /**
     * {@code play} on a new stream with {@code command} (on that stream, no transaction) behind it in the same flush, as
     * a player that does not wait for the play's statuses; returns the stream id.
     */
    public int playFollowedBy(String name, String command, AmfValue... args) throws Exception {
        int sid = createStream();
        channel.write(playCommand(sid, name));
        channel.write(new CommandMessage(sid, command, 0, AmfNull.INSTANCE, List.of(args)));
        channel.flush();
        return sid;
    }

    private static CommandMessage playCommand(int sid, String name) {
        return new CommandMessage(sid, "play", 0, AmfNull.INSTANCE, List.of(new AmfString(name), new AmfNumber(-1000)));
    }

    /** {@code publish} on a new stream; returns the stream id. Wait for the status with {@link #awaitStatus}. */
    public int publish(String name) throws Exception {
        int sid = createStream();
        channel.writeAndFlush(new CommandMessage(sid, "publish", 0, AmfNull.INSTANCE,
                List.of(new AmfString(name), new AmfString("live"))));
        return sid;
    }

    /**
     * {@code publish} on a new stream with {@code first} (audio and video frames) written behind it in the same flush,
     * as an encoder that does not wait for {@code NetStream.Publish.Start} sends them; returns the stream id. The frames'
     * payloads are retained for the send: the caller keeps its own references.
     */
    public int publishPipelined(String name, List<? extends fluxrelay.media.MediaFrame> first) throws Exception {
        int sid = createStream();
        channel.write(new CommandMessage(sid, "publish", 0, AmfNull.INSTANCE,
                List.of(new AmfString(name), new AmfString("live"))));
        for (fluxrelay.media.MediaFrame frame : first) {
            channel.write(new MediaMessage(frame instanceof fluxrelay.media.VideoFrame ? MediaMessage.VIDEO : MediaMessage.AUDIO,
                    frame.timestamp(), sid, frame.payload().retain()));
        }
        channel.flush();
        return sid;
    }

    /** Sends an audio or video message; takes ownership of {@code payload}. */
    public void sendMedia(int streamId, int typeId, long timestamp, ByteBuf payload) {
        channel.writeAndFlush(new MediaMessage(typeId, timestamp, streamId, payload));
    }

    /** Sends a data message (AMF0 body); takes ownership. */
    public void sendData(int streamId, long timestamp, ByteBuf body) {
        channel.writeAndFlush(new DataMessage(timestamp, streamId, body));
    }

    /** Changes the chunk size this client sends with. */
    public void setChunkSize(int size) {
        channel.writeAndFlush(new SetChunkSize(size));
    }

    /** Waits until a status with this code arrives; returns it. */
    public CommandMessage awaitStatus(String code, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (CommandMessage status : statuses) {
                if (code.equals(statusCode(status))) {
                    return status;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no status " + code + " within " + timeout + "; got " + statuses);
    }

    /** The {@code code} of an {@code onStatus} or {@code _error} message. */
    public static String statusCode(CommandMessage status) {
        AmfValue info = status.argument(0);
        return info instanceof AmfObject object ? object.getString("code") : null;
    }

    /** Statuses received so far. */
    public List<CommandMessage> statuses() {
        return statuses;
    }

    /** Media and data messages received so far. */
    public List<Received> received() {
        return received;
    }

    /** The Enhanced RTMP v2 OneTrack multitrack messages received so far (not in {@link #received()}). */
    public List<TrackMessage> trackMessages() {
        return trackMessages;
    }

    /** Writes raw bytes on the connection, past the RTMP encoders (malformed or partial messages). */
    public void sendRaw(ByteBuf bytes) {
        channel.pipeline().firstContext().writeAndFlush(bytes);
    }

    /** Resets the TCP connection (SO_LINGER 0, then close): what a crashed encoder or a dropped link looks like. */
    public void reset() {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close().syncUninterruptibly();
    }

    /** Stops reading from the socket: the server's data piles up in the TCP windows (a stuck viewer). */
    public void stopReading() {
        channel.config().setAutoRead(false);
    }

    /** True while the TCP connection is open. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /** {@link System#nanoTime()} at connect. */
    public long connectNanos() {
        return connectNanos;
    }

    /** Waits until the server closes the connection. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return channel.closeFuture().await(timeout.toMillis());
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<RtmpMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RtmpMessage msg) {
            if (msg instanceof CommandMessage command) {
                if (command.name().equals("_result") || command.name().equals("_error")) {
                    CompletableFuture<CommandMessage> reply = pending.remove((int) command.transactionId());
                    if (reply != null) {
                        reply.complete(command);
                        return;
                    }
                }
                statuses.add(command);
            } else if (msg instanceof MediaMessage media && oneTrack(media) != null) {
                trackMessages.add(oneTrack(media));
            } else if (msg instanceof MediaMessage media) {
                ByteBuf body = media.content();
                int first = body.isReadable() ? body.getUnsignedByte(body.readerIndex()) : 0;
                int second = body.readableBytes() > 1 ? body.getUnsignedByte(body.readerIndex() + 1) : -1;
                boolean key = media.isAudio() ? false : (first >> 4) == 1;
                boolean header = second == 0;
                boolean end = !media.isAudio() && second == 2;
                received.add(new Received(media.typeId(), media.timestamp(), body.readableBytes(), key, header, end, System.nanoTime()));
            } else if (msg instanceof DataMessage data) {
                received.add(new Received(18, data.timestamp(), data.content().readableBytes(), false, false, false, System.nanoTime()));
            } else if (msg instanceof UserControl control && control.eventType() == UserControl.PING_REQUEST) {
                ctx.writeAndFlush(UserControl.pingResponse(control.value()));
            }
        }

        /** The message as a OneTrack multitrack message (video packet type 6, audio 5), or null when it is not one. */
        private TrackMessage oneTrack(MediaMessage media) {
            ByteBuf body = media.content();
            int at = body.readerIndex();
            if (body.readableBytes() < 7) {
                return null;
            }
            int first = body.getUnsignedByte(at);
            boolean multitrack = media.isAudio() ? first == 0x95 : (first & 0x80) != 0 && (first & 0x0F) == 6;
            int typeByte = body.getUnsignedByte(at + 1);
            if (!multitrack || typeByte >> 4 != 0) {
                return null;
            }
            int packetType = typeByte & 0x0F;
            byte[] config = null;
            if (packetType == 0) {
                config = new byte[body.readableBytes() - 7];
                body.getBytes(at + 7, config);
            }
            return new TrackMessage(media.typeId(), body.getUnsignedByte(at + 6), media.timestamp(), packetType,
                    !media.isAudio() && (first >> 4 & 0x07) == 1, body.getInt(at + 2), config);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof AcknowledgementDue due) {
                ctx.writeAndFlush(new Acknowledgement(due.sequenceNumber()));
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
