package fluxrelay.cluster;

import fluxrelay.flv.FlvFormatException;
import fluxrelay.flv.FlvTagDemuxer;
import fluxrelay.logging.LogText;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.playback.InternalPlays;
import fluxrelay.rooms.RoomLocator.Origin;
import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfNumber;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.amf.AmfValue;
import fluxrelay.rtmp.chunk.AcknowledgementDue;
import fluxrelay.rtmp.chunk.ChunkDecoder;
import fluxrelay.rtmp.chunk.ChunkEncoder;
import fluxrelay.rtmp.chunk.PeerTrusted;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.rtmp.handshake.ClientHandshakeHandler;
import fluxrelay.rtmp.handshake.HandshakeKind;
import fluxrelay.rtmp.message.Acknowledgement;
import fluxrelay.rtmp.message.AggregateSplitter;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.rtmp.message.DataMessage;
import fluxrelay.rtmp.message.MediaMessage;
import fluxrelay.rtmp.message.RtmpMessageDecoder;
import fluxrelay.rtmp.message.RtmpMessageEncoder;
import fluxrelay.rtmp.message.UserControl;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.Publisher;
import fluxrelay.stream.PublisherSlot;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge's pull of one feed from its origin: a {@link Publisher} into this node's hub of the feed, fed by an
 * internal RTMP play on the origin's listener (application {@code _cluster}, a play name signed with the cluster
 * secret), so every local viewer of the feed is served from one pull and the local GOP cache.
 *
 * <p>Where the origin is comes from the room locator, asked again whenever the pull ends: the origin went away, its
 * publisher stopped, or it refused. While local viewers remain the pull tries again, backing off; viewers stay
 * attached through the gap and resume at the next keyframe (the hub keeps them across publisher changes). The pull
 * ends for good when no local viewer has been attached for the idle timeout, or when a local publisher takes the
 * feed: a pull always yields to a real encoder on this node (it reports itself as long silent to the hub's
 * takeover rule).
 *
 * <p>Everything runs on one event loop, the pull connection's.
 */
final class OriginPull implements Publisher {

    private static final Logger log = LoggerFactory.getLogger(OriginPull.class);

    /** S0+S1+S2, counted towards acknowledgements (RTMP spec 5.4.3). */
    private static final int HANDSHAKE_BYTES = 1 + 2 * 1536;
    private static final int CONNECT_TX = 1;
    private static final int CREATE_STREAM_TX = 2;
    private static final long BACKOFF_MIN_MS = 200;
    private static final long BACKOFF_MAX_MS = 2000;
    /** What the hub's takeover rule is told of the pull's activity: long silent, so any local encoder takes over. */
    private static final long YIELDING_SILENCE_NANOS = TimeUnit.DAYS.toNanos(365);

    private final EdgePulls owner;
    private final FeedId feed;
    private final LiveStream live;
    private final EventLoop loop;
    private final long demandedNanos = System.nanoTime();
    private volatile boolean finished;
    private volatile Channel channel;
    private volatile SocketAddress origin;
    private String originNode;
    private volatile PublisherSlot slot;
    private boolean keyframeSeen;
    private long backoffMs = BACKOFF_MIN_MS;
    private long idleSinceNanos;
    private ScheduledFuture<?> idleCheck;

    OriginPull(EdgePulls owner, FeedId feed, LiveStream live, EventLoop loop) {
        this.owner = owner;
        this.feed = feed;
        this.live = live;
        this.loop = loop;
    }

    void start() {
        loop.execute(() -> {
            idleCheck = loop.scheduleAtFixedRate(this::checkIdle, 1, 1, TimeUnit.SECONDS);
            locate();
        });
    }

    boolean finished() {
        return finished;
    }

    /** True while the pull's play runs and publishes into the local hub. */
    boolean open() {
        return slot != null && !finished;
    }

    private void locate() {
        if (finished) {
            return;
        }
        // A room's program is made where its inputs publish: the locator reads their leases.
        owner.locator().lookup(feed).whenComplete((found, error) -> loop.execute(() -> located(found)));
    }

    private void located(Origin found) {
        if (finished) {
            return;
        }
        if (found instanceof Origin.Elsewhere elsewhere) {
            connect(elsewhere);
        } else if (found instanceof Origin.Here) {
            finish("this node publishes the room now");
        } else {
            retryLater();
        }
    }

    private void connect(Origin.Elsewhere elsewhere) {
        InetSocketAddress address = parse(elsewhere.address());
        if (address == null) {
            log.warn("room {}: origin node {} has an unusable address '{}'", feed, LogText.of(elsewhere.nodeId()),
                    LogText.of(elsewhere.address()));
            owner.events().pullFailed();
            retryLater();
            return;
        }
        originNode = elsewhere.nodeId();
        origin = address;
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(owner.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) owner.connectTimeout().toMillis())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ClientHandshakeHandler(HandshakeKind.PLAIN));
                        ch.pipeline().addLast(new ChunkEncoder());
                        ch.pipeline().addLast(new ChunkDecoder(owner.chunkLimits(), HANDSHAKE_BYTES));
                        ch.pipeline().addLast(new AggregateSplitter());
                        ch.pipeline().addLast(new RtmpMessageEncoder());
                        ch.pipeline().addLast(new RtmpMessageDecoder(owner.amfLimits()));
                        ch.pipeline().addLast(new Session(address));
                    }
                });
        bootstrap.connect(address).addListener(f -> {
            if (!f.isSuccess()) {
                log.info("room {}: cannot reach origin node {} at {}: {}", feed, LogText.of(originNode), address,
                        f.cause() == null ? "?" : f.cause().getMessage());
                owner.events().pullFailed();
                retryLater();
            }
        });
    }

    private static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return InetSocketAddress.createUnresolved(host, Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The origin's play started: this pull becomes the local hub's publisher. */
    private void playing(Channel ch) {
        PublishClaim claim = live.claim(this, owner.takeoverAfter());
        if (claim instanceof PublishClaim.Busy) {
            ch.close();
            finish("a local publisher holds the room");
            return;
        }
        slot = ((PublishClaim.Granted) claim).slot();
        if (feed.isRendition()) {
            // The origin sends a rendition only while it is shown there: the pull shows what it gets.
            live.setShown(true);
        }
        slot.describeEncoder("pull from " + originNode);
        backoffMs = BACKOFF_MIN_MS;
        owner.events().pullStarted();
        log.info("room {}: pulling from origin node {} at {}", feed, LogText.of(originNode), ch.remoteAddress());
    }

    private void media(int type, long timestamp, ByteBuf content) {
        if (slot == null || finished) {
            content.release();
            return;
        }
        MediaFrame frame;
        try {
            frame = FlvTagDemuxer.demux(type, timestamp, content);
        } catch (FlvFormatException e) {
            return;
        }
        if (frame instanceof ScriptFrame script && !script.isMetadata()) {
            frame.release();
            return;
        }
        if (!keyframeSeen && frame instanceof VideoFrame video && video.isRandomAccessPoint() && !video.isSequenceHeader()) {
            keyframeSeen = true;
            long nanos = System.nanoTime() - demandedNanos;
            owner.events().pullFirstKeyframe(nanos);
            log.info("room {}: first keyframe from the origin after {} ms", feed, TimeUnit.NANOSECONDS.toMillis(nanos));
        }
        slot.publish(frame);
    }

    /** The play ended (the connection closed, the origin refused or its publisher left): look for the origin again. */
    private void ended(Channel ch, String why, boolean failure) {
        if (channel != ch) {
            return;
        }
        channel = null;
        if (slot != null) {
            slot.close();
            slot = null;
        }
        if (ch.isActive()) {
            ch.close();
        }
        if (finished) {
            return;
        }
        if (failure) {
            owner.events().pullFailed();
        }
        log.info("room {}: pull from origin node {} ended: {}", feed, LogText.of(originNode), why);
        keyframeSeen = false;
        retryLater();
    }

    private void retryLater() {
        if (finished) {
            return;
        }
        if (live.viewers().isEmpty() && idleFor() >= owner.idleTimeout().toNanos()) {
            finish("no local viewer");
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2);
        loop.schedule(this::locate, delay, TimeUnit.MILLISECONDS);
    }

    private void checkIdle() {
        if (!live.viewers().isEmpty()) {
            idleSinceNanos = 0;
        } else if (idleSinceNanos == 0) {
            idleSinceNanos = System.nanoTime();
        } else if (idleFor() >= owner.idleTimeout().toNanos()) {
            finish("no local viewer for " + owner.idleTimeout().toSeconds() + " s");
        }
    }

    private long idleFor() {
        return idleSinceNanos == 0 ? 0 : System.nanoTime() - idleSinceNanos;
    }

    /** Ends the pull for good (on the loop). */
    private void finish(String why) {
        if (finished) {
            return;
        }
        finished = true;
        owner.forget(feed, this);
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        Channel ch = channel;
        channel = null;
        if (ch != null) {
            ch.close();
        }
        if (slot != null) {
            slot.close();
            slot = null;
        }
        log.info("room {}: pull ended: {}", feed, why);
    }

    /** Stops the pull (the node is closing). */
    void close() {
        loop.execute(() -> finish("the server is stopping"));
    }

    @Override
    public long lastActivityNanos() {
        return System.nanoTime() - YIELDING_SILENCE_NANOS;
    }

    @Override
    public boolean isConnected() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    /** The origin packages the room's HLS for every node; this node forwards HLS requests to it. */
    @Override
    public boolean relayed() {
        return true;
    }

    @Override
    public SocketAddress remoteAddress() {
        return origin;
    }

    @Override
    public void evict(String reason) {
        loop.execute(() -> {
            slot = null;
            finish("taken over: " + reason);
        });
    }

    /** The RTMP client session of one pull connection: connect, createStream, signed play, then media. */
    private final class Session extends ChannelInboundHandlerAdapter {

        private final InetSocketAddress address;
        private int streamId;

        Session(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (finished) {
                ctx.close();
                return;
            }
            channel = ctx.channel();
            // The origin is a peer of ours: its large keyframes get the publisher-sized partial-message budget.
            ctx.pipeline().fireUserEventTriggered(PeerTrusted.INSTANCE);
            String tcUrl = "rtmp://" + address.getHostString() + ":" + address.getPort() + "/" + InternalPlays.APP;
            // Held by the handshake handler until the handshake is done.
            ctx.writeAndFlush(new CommandMessage(0, "connect", CONNECT_TX, AmfObject.of("app", InternalPlays.APP,
                    "type", "nonprivate", "flashVer", "fluxrelay-pull/1.0", "tcUrl", tcUrl), List.of()));
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof MediaMessage media) {
                    media(media.typeId(), media.timestamp(), media.content().retain());
                } else if (msg instanceof DataMessage data) {
                    media(FlvTagDemuxer.SCRIPT, data.timestamp(), data.content().retain());
                } else if (msg instanceof CommandMessage command) {
                    command(ctx, command);
                } else if (msg instanceof UserControl control && control.eventType() == UserControl.PING_REQUEST) {
                    ctx.writeAndFlush(UserControl.pingResponse(control.value()));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void command(ChannelHandlerContext ctx, CommandMessage command) {
            switch (command.name()) {
                case "_result" -> {
                    if (command.transactionId() == CONNECT_TX) {
                        ctx.writeAndFlush(new CommandMessage(0, "createStream", CREATE_STREAM_TX, AmfNull.INSTANCE, List.of()));
                    } else if (command.transactionId() == CREATE_STREAM_TX) {
                        streamId = (int) command.argument(0).asNumber();
                        String name = owner.signature().playName(owner.nodeId(), feed);
                        ctx.writeAndFlush(new CommandMessage(streamId, "play", 0, AmfNull.INSTANCE,
                                List.of(new AmfString(name), new AmfNumber(-1000))));
                    }
                }
                case "_error" -> ended(ctx.channel(), "the origin refused: " + describe(command), true);
                case "onStatus" -> status(ctx, command);
                default -> {
                    // onBWDone and the like need no answer.
                }
            }
        }

        private void status(ChannelHandlerContext ctx, CommandMessage command) {
            String code = field(command, "code");
            if (StatusCodes.PLAY_START.equals(code)) {
                playing(ctx.channel());
            } else if (StatusCodes.PLAY_UNPUBLISH_NOTIFY.equals(code)) {
                ended(ctx.channel(), "the origin's publisher stopped", false);
            } else if ("error".equals(field(command, "level"))) {
                ended(ctx.channel(), "the origin refused the play: " + describe(command), true);
            }
        }

        private String describe(CommandMessage command) {
            return LogText.of(field(command, "code")) + " " + LogText.of(field(command, "description"), 200);
        }

        private static String field(CommandMessage command, String key) {
            AmfValue info = command.arguments().isEmpty() ? command.commandObject() : command.argument(0);
            return info instanceof AmfObject object ? object.getString(key) : null;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof AcknowledgementDue due) {
                ctx.writeAndFlush(new Acknowledgement(due.sequenceNumber()));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ended(ctx.channel(), "the connection closed", slot == null);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.info("room {}: pull connection to {} failed: {}", feed, address, LogText.of(String.valueOf(cause.getMessage()), 200));
            ctx.close();
        }
    }
}
