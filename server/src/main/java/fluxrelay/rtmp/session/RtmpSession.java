package fluxrelay.rtmp.session;

import fluxrelay.ingest.IngestOutcome;
import fluxrelay.logging.LogBudget;
import fluxrelay.logging.LogText;
import fluxrelay.netty.LoopHandover;
import fluxrelay.playback.PlayDecision;
import fluxrelay.playback.PlayRequest;
import fluxrelay.playback.ViewerKind;
import fluxrelay.playback.WatchName;
import fluxrelay.rooms.PublishRequest;
import fluxrelay.rooms.Room;
import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfNumber;
import fluxrelay.rtmp.amf.AmfValue;
import fluxrelay.rtmp.chunk.AcknowledgementDue;
import fluxrelay.rtmp.command.ConnectRequest;
import fluxrelay.rtmp.command.EnhancedCapabilities;
import fluxrelay.rtmp.command.Replies;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.rtmp.command.StreamName;
import fluxrelay.rtmp.handshake.HandshakeCompleted;
import fluxrelay.rtmp.handshake.HandshakeFailed;
import fluxrelay.rtmp.message.Acknowledgement;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.rtmp.message.DataMessage;
import fluxrelay.rtmp.message.MediaMessage;
import fluxrelay.rtmp.message.RtmpMessage;
import fluxrelay.rtmp.message.SetChunkSize;
import fluxrelay.rtmp.message.SetPeerBandwidth;
import fluxrelay.rtmp.message.UnreadableMessage;
import fluxrelay.rtmp.message.UserControl;
import fluxrelay.rtmp.message.WindowAckSize;
import fluxrelay.stream.LiveStream;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP connection after the handshake: the NetConnection state machine ({@code connect},
 * {@code createStream}, ...) and its NetStreams, each either publishing into a room ({@link IngestPublisher}, over
 * the ingest service) or playing one ({@link RtmpViewer}, admitted by the playback service) (RTMP spec 7.2).
 *
 * <p>Two error styles: a bad or unknown command gets an {@code _error} or {@code onStatus} reply and the
 * connection lives on; a framing error closes the connection with a log line naming the remote address.
 * Everything runs on the connection's event loop.
 */
public final class RtmpSession extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(RtmpSession.class);
    private static final long CHECK_PERIOD_MS = 2000;

    private final SessionContext context;
    private final Map<Integer, NetStream> streams = new HashMap<>();
    private ChannelHandlerContext ctx;
    private ConnectRequest connect;
    /** The Enhanced RTMP capabilities the client announced in its connect (none until then). */
    private EnhancedCapabilities capabilities = EnhancedCapabilities.NONE;
    /** Connected to the application of other nodes' internal pulls: plays are admitted by signature only. */
    private boolean internal;
    /**
     * The room named after the application when the client connected to {@code {app}/{room-id}} (how ffmpeg and librtmp
     * split {@code rtmp://host/{app}/{room-id}/{input-id}}): plays name an input of it. Null for a plain application.
     */
    private String appRoom;
    private int nextStreamId = 1;
    private long openedNanos;
    private volatile long lastActivityNanos;
    private ScheduledFuture<?> watchdog;
    private boolean closing;
    /**
     * What came while the connection moves from its setup loop to a worker loop ({@link LoopHandover}): messages read
     * and work that waits for the worker ({@link Runnable}), handled there in order once it arrived; null when not
     * moving.
     */
    private List<Object> held;
    private SessionBandwidth bandwidth;
    /** Lines this connection may cause for what it can repeat at will; the rest are summarised at the end. */
    private final LogBudget noisy = new LogBudget();

    public RtmpSession(SessionContext context) {
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        bandwidth = new SessionBandwidth(ctx, context.bandwidth(), this::replayPlay);
        openedNanos = System.nanoTime();
        lastActivityNanos = openedNanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startWatchdog();
        ctx.fireChannelActive();
    }

    /** The idle checks, on the connection's loop (again after a move). */
    private void startWatchdog() {
        watchdog = ctx.executor().scheduleAtFixedRate(this::checkIdle, CHECK_PERIOD_MS, CHECK_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivityNanos = System.nanoTime();
        if (!(msg instanceof RtmpMessage message) || closing) {
            // After a refusal, whatever the peer still sends is dropped until the socket closes.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (held != null) {
            held.add(message);
            return;
        }
        handle(message);
    }

    private void handle(RtmpMessage message) {
        try {
            dispatch(message);
        } catch (RuntimeException e) {
            if (noisy.allow()) {
                log.warn("{}: failed to handle {}: {}", remote(), message.getClass().getSimpleName(), LogText.of(e.toString(), 200), e);
            }
            ReferenceCountUtil.release(message);
        }
    }

    private void dispatch(RtmpMessage message) {
        if (message instanceof MediaMessage media) {
            take(media.messageStreamId(), media);
        } else if (message instanceof DataMessage data) {
            take(data.messageStreamId(), data);
        } else if (message instanceof CommandMessage command) {
            onCommand(command);
        } else if (message instanceof UserControl control) {
            if (control.eventType() == UserControl.PING_REQUEST) {
                ctx.writeAndFlush(UserControl.pingResponse(control.value()));
            }
        } else if (message instanceof UnreadableMessage unreadable) {
            if (noisy.allow()) {
                log.warn("{}: unreadable message type {} on stream {}: {}", remote(), unreadable.typeId(),
                        unreadable.messageStreamId(), LogText.of(unreadable.reason(), 200));
            }
        }
        // Set Chunk Size, Abort and Window Acknowledgement Size are applied by the chunk decoder;
        // Acknowledgement and Set Peer Bandwidth from a client need no action.
    }

    /** A media or data message goes to its stream's publish (or waits for it to start); otherwise it is released. */
    private void take(int streamId, RtmpMessage message) {
        NetStream stream = streams.get(streamId);
        if (stream == null || !stream.take(message, remote())) {
            ReferenceCountUtil.release(message);
        }
    }

    private void onCommand(CommandMessage command) {
        String name = command.name();
        if (connect == null && !"connect".equals(name)) {
            reply(Replies.error(command.messageStreamId(), command.transactionId(), StatusCodes.CALL_FAILED,
                    "Send connect first."));
            return;
        }
        switch (name) {
            case "connect" -> onConnect(command);
            case "createStream" -> onCreateStream(command);
            case "releaseStream", "FCPublish", "FCUnpublish", "FCSubscribe", "getStreamLength" -> acknowledge(command);
            case "checkBandwidth", "_checkbw" -> {
                // Answered at once (ffmpeg tracks the call); the figures follow in onBWDone. Once per connection:
                // ffmpeg asks again after every onBWDone.
                acknowledge(command);
                bandwidth.requested();
            }
            case "_result" -> bandwidth.onReply(command.transactionId());
            case "publish" -> onPublish(command);
            case "play" -> onPlay(command);
            case "pause" -> onPause(command);
            case "deleteStream", "closeStream" -> onDeleteStream(command);
            case "receiveAudio", "receiveVideo", "_error", "onStatus", "onBWDone" -> { }
            default -> {
                if (noisy.allow()) {
                    log.info("{}: unknown command '{}'", remote(), LogText.of(name));
                }
                reply(Replies.error(command.messageStreamId(), command.transactionId(), StatusCodes.CALL_FAILED,
                        "Method not found (" + LogText.of(name) + ")."));
            }
        }
    }

    private void onConnect(CommandMessage command) {
        if (connect != null) {
            reply(Replies.error(0, command.transactionId(), StatusCodes.CALL_FAILED, "Already connected."));
            return;
        }
        ConnectRequest request = ConnectRequest.from(command);
        internal = context.playback().internalApp(request.app());
        if (!internal && !context.ingest().knowsApp(request.app())) {
            appRoom = roomAfterApp(request.app());
            if (appRoom == null) {
                refuseConnect(command, request.app());
                return;
            }
        }
        connect = request;
        SessionSettings settings = context.settings();
        ctx.write(new WindowAckSize(settings.windowAckSize()));
        ctx.write(new SetPeerBandwidth(settings.peerBandwidth(), SetPeerBandwidth.DYNAMIC));
        ctx.write(new SetChunkSize(settings.chunkSize()));
        EnhancedCapabilities enhanced = EnhancedCapabilities.from(command.commandObject());
        capabilities = enhanced;
        ctx.writeAndFlush(enhanced.announced()
                ? Replies.connectSuccess(command.transactionId(), request.objectEncoding(), EnhancedCapabilities.SERVER)
                : Replies.connectSuccess(command.transactionId(), request.objectEncoding()));
        log.debug("{}: connected to app '{}' ({}){}", remote(), LogText.of(request.app()), LogText.of(request.flashVer()),
                enhanced.announced() ? ", Enhanced RTMP: video " + enhanced.video().keySet() + ", audio "
                        + enhanced.audio().keySet() + ", capsEx " + enhanced.capsEx() : "");
        if (!internal) {
            bandwidth.connected(request.flashVer());
        }
    }

    /**
     * The room of an application {@code {app}/{room-id}} whose app is known and whose room exists in it, or null. A
     * stream key after the app is no room id, so such connects are still refused ({@link #refuseConnect}).
     */
    private String roomAfterApp(String app) {
        int slash = app.indexOf('/');
        if (slash <= 0 || !context.ingest().knowsApp(app.substring(0, slash))) {
            return null;
        }
        String room = app.substring(slash + 1);
        return context.playback().hasRoom(app.substring(0, slash), room) ? room : null;
    }

    /** The application plays are admitted in: the connect's, without the room of an {@code {app}/{room-id}} connect. */
    private String playApp() {
        return appRoom == null ? connect.app() : connect.app().substring(0, connect.app().length() - appRoom.length() - 1);
    }

    /**
     * Refuses a connect to an application no room uses. An encoder given the whole URL with its key
     * ({@code rtmp://host/live/KEY}) connects to {@code live/KEY}: the key is kept out of the log and the encoder is
     * told where it goes.
     */
    private void refuseConnect(CommandMessage command, String app) {
        int slash = app.indexOf('/');
        String known = slash > 0 && context.ingest().knowsApp(app.substring(0, slash)) ? app.substring(0, slash) : null;
        closing = true;
        if (known != null) {
            log.warn("{}: connect refused: the server URL names application '{}' followed by more ({} characters, not "
                    + "logged: a stream key in the URL?)", remote(), LogText.of(known), app.length() - slash - 1);
            context.ingest().refused("key_in_url");
            Farewell.send(ctx, Replies.connectRejected(command.transactionId(), "The server URL must end with /" + known
                    + ": the stream key goes in the Stream Key field, not in the URL."));
            return;
        }
        log.warn("{}: connect refused: unknown application '{}'", remote(), LogText.of(app));
        context.ingest().refused("unknown_app");
        Farewell.send(ctx, Replies.connectRejected(command.transactionId(),
                "Unknown application '" + LogText.of(app) + "': check the server URL."));
    }

    private void replayPlay(CommandMessage play) {
        if (!closing) {
            onPlay(play);
        }
    }

    private void onCreateStream(CommandMessage command) {
        if (streams.size() >= context.settings().maxStreamsPerConnection()) {
            reply(Replies.error(0, command.transactionId(), StatusCodes.CALL_FAILED, "Too many streams on this connection."));
            return;
        }
        int id = nextStreamId++;
        streams.put(id, new NetStream(id));
        reply(Replies.streamCreated(command.transactionId(), id));
    }

    /** Commands FMS answers with an empty {@code _result} when a reply is expected. */
    private void acknowledge(CommandMessage command) {
        if (command.transactionId() != 0) {
            reply(Replies.result(command.transactionId(), null));
        }
    }

    private void onPublish(CommandMessage command) {
        NetStream stream = streamOf(command);
        StreamName name = StreamName.parse(command.argument(0).asString());
        if (stream == null || stream.ingest != null || stream.viewer != null || stream.pending) {
            int sid = command.messageStreamId();
            reply(Replies.onStatus(sid, StatusCodes.LEVEL_ERROR, StatusCodes.PUBLISH_BAD_NAME,
                    stream == null ? "Publish on a stream that was not created." : "This stream is already in use."));
            return;
        }
        if (appRoom != null) {
            // Connected as {app}/{room-id} to watch an input; an encoder never publishes there.
            context.ingest().refused("key_in_url");
            refusePublish(stream.id, StatusCodes.PUBLISH_BAD_NAME, "The server URL must end with /" + LogText.of(playApp())
                    + ": the stream key goes in the Stream Key field, not in the URL.");
            return;
        }
        stream.pending = true;
        onWorkerLoop(true, () -> beginPublish(stream, name));
    }

    /** The publish, judged by the ingest service, on the connection's worker loop. */
    private void beginPublish(NetStream stream, StreamName name) {
        IngestPublisher publisher = new IngestPublisher(ctx, stream.id);
        PublishRequest request = new PublishRequest(connect.app(), name.name(), name.query(), ctx.channel().remoteAddress());
        context.ingest().begin(request, publisher, connect.flashVer(), ctx.executor()).thenAccept(outcome -> {
            stream.pending = false;
            boolean usable = ctx.channel().isActive() && !closing && streams.get(stream.id) == stream;
            if (outcome instanceof IngestOutcome.Started started) {
                if (usable) {
                    stream.ingest = publisher;
                    publisher.start(started.publication());
                    stream.replayEarly();
                } else {
                    started.publication().end(false);
                }
            } else if (outcome instanceof IngestOutcome.Refused refused && usable) {
                refusePublish(stream.id, StatusCodes.PUBLISH_BAD_NAME, refused.description());
            }
            stream.releaseEarly();
        });
    }

    private void refusePublish(int streamId, String code, String description) {
        closing = true;
        Farewell.send(ctx, Replies.onStatus(streamId, StatusCodes.LEVEL_ERROR, code, description));
    }

    private void onPlay(CommandMessage command) {
        NetStream stream = streamOf(command);
        int sid = command.messageStreamId();
        if (stream == null || stream.ingest != null) {
            reply(Replies.onStatus(sid, StatusCodes.LEVEL_ERROR, StatusCodes.PLAY_FAILED,
                    stream == null ? "Play on a stream that was not created." : "This stream is publishing."));
            return;
        }
        StreamName name = StreamName.parse(command.argument(0).asString());
        if (internal) {
            playInternal(stream, sid, name);
            return;
        }
        String token = name.query().get(context.bandwidth().settings().tokenParameter());
        // {room-id} plays the room's program, {room-id}/{input-id} one input; after an {app}/{room-id} connect, the name
        // is the input's id.
        String asked = appRoom == null ? name.name() : appRoom + "/" + name.name();
        Optional<WatchName> watched = WatchName.parse(asked);
        PlayDecision decision = watched.isEmpty() ? new PlayDecision.NotFound()
                : context.playback().admit(new PlayRequest(playApp(), watched.get().room(), watched.get().feed(), ViewerKind.RTMP,
                token, String.valueOf(remote()), bandwidth.detected(), bandwidth.detecting(),
                name.query().get(context.playback().accessParameter()), address())
                .withRendition(name.query().get(PlayRequest.RENDITION_PARAMETER)));
        if (decision instanceof PlayDecision.Admitted admitted) {
            startViewer(stream, admitted);
        } else if (decision instanceof PlayDecision.NotFound) {
            if (noisy.allow()) {
                // The name may be a stream key typed into a player: only its length is logged.
                log.info("{}: play of an unknown stream ({} characters) in app '{}'", remote(), asked.length(),
                        LogText.of(playApp()));
            }
            reply(Replies.onStatus(sid, StatusCodes.LEVEL_ERROR, StatusCodes.PLAY_STREAM_NOT_FOUND,
                    "No such stream: " + LogText.of(asked) + (asked.indexOf('/') < 0 ? "." : " (no such room or input).")));
        } else if (decision instanceof PlayDecision.NoSuchRendition missing) {
            reply(Replies.onStatus(sid, StatusCodes.LEVEL_ERROR, StatusCodes.PLAY_STREAM_NOT_FOUND, missing.description()));
        } else if (decision instanceof PlayDecision.Full) {
            reply(Replies.onStatus(sid, StatusCodes.LEVEL_ERROR, StatusCodes.PLAY_FAILED, "This room is full: try again later."));
        } else if (decision instanceof PlayDecision.Measure measure) {
            bandwidth.measureThenReplay(command, measure.room().id());
        } else if (decision instanceof PlayDecision.Refused refused) {
            bandwidth.refuse(command, refused);
        } else if (decision instanceof PlayDecision.Denied denied) {
            reply(Replies.onStatus(sid, StatusCodes.LEVEL_ERROR, StatusCodes.PLAY_FAILED, "Access refused ("
                    + denied.reason().label() + "): " + denied.reason().message(context.playback().accessParameter())));
        }
    }

    /** The client's IP address as text, for access tokens bound to one; null when unknown. */
    private String address() {
        return remote() instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }

    /** Another node's pull (application {@code _cluster}): only a valid signed name plays, with no viewer rule. */
    private void playInternal(NetStream stream, int sid, StreamName name) {
        var admitted = context.playback().admitInternal(name.name(), name.query(), String.valueOf(remote()));
        if (admitted.isEmpty()) {
            reply(Replies.onStatus(sid, StatusCodes.LEVEL_ERROR, StatusCodes.PLAY_FAILED, "Internal pull refused."));
            return;
        }
        startViewer(stream, admitted.get(), context.playback().internalKeepsTimestamps(name.name()));
    }

    private void startViewer(NetStream stream, PlayDecision.Admitted admitted) {
        startViewer(stream, admitted, false);
    }

    private void startViewer(NetStream stream, PlayDecision.Admitted admitted, boolean roomTimestamps) {
        onWorkerLoop(false, () -> {
            if (streams.get(stream.id) == stream) {
                playOnWorker(stream, admitted, roomTimestamps);
            }
        });
    }

    private void playOnWorker(NetStream stream, PlayDecision.Admitted admitted, boolean roomTimestamps) {
        if (stream.viewer != null) {
            stream.viewer.stop("play replaced");
            stream.viewer = null;
        }
        Room room = admitted.room();
        RtmpViewer viewer = new RtmpViewer(ctx, stream.id, room, context.viewerLimits(), context.egress(), context.activity(),
                internal ? null : context.playback().watch(admitted, String.valueOf(remote())), context.monitoring(),
                context.settings().publisherGapGrace());
        stream.viewer = viewer;
        viewer.admittedAs(admitted.attendee());
        if (internal) {
            viewer.admittedAsPull();
        }
        if (roomTimestamps) {
            viewer.keepRoomTimestamps();
        }
        LiveStream hub = admitted.stream();
        if (!internal && capabilities.has(EnhancedCapabilities.MULTITRACK) && admitted.movedTo() == null
                && hub != null && hub.feedId().isProgram()) {
            // An Enhanced RTMP v2 multitrack player of the program gets its renditions beside it, as tracks 1..N.
            String roomId = room.id();
            viewer.withRenditionTracks(() -> context.playback().renditions(roomId),
                    id -> context.playback().renditionHub(roomId, id));
        }
        viewer.start(admitted.stream(), admitted.moved());
        bandwidth.warnIfBelow(admitted.warning(), stream.id);
    }

    private void onPause(CommandMessage command) {
        NetStream stream = streamOf(command);
        if (stream == null || stream.viewer == null) {
            reply(Replies.error(command.messageStreamId(), command.transactionId(), StatusCodes.CALL_FAILED, "Not playing."));
            return;
        }
        AmfValue flag = command.argument(0);
        boolean pause = flag instanceof fluxrelay.rtmp.amf.AmfBoolean b ? b.value() : true;
        stream.viewer.pause(pause);
    }

    private void onDeleteStream(CommandMessage command) {
        AmfValue arg = command.argument(0);
        NetStream stream = null;
        if (arg instanceof AmfNumber number) {
            stream = streams.get((int) number.value());
        } else if (arg.asString() != null || arg instanceof AmfNull) {
            // GStreamer's rtmp2sink names the stream instead of giving its id: end the publishing one.
            stream = streams.values().stream().filter(s -> s.ingest != null).findFirst().orElse(null);
        }
        if (stream == null) {
            stream = streams.get(command.messageStreamId());
        }
        if (stream != null) {
            stream.close(true);
            streams.remove(stream.id);
        }
    }

    private NetStream streamOf(CommandMessage command) {
        return streams.get(command.messageStreamId());
    }

    private void reply(CommandMessage message) {
        ctx.writeAndFlush(message);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof AcknowledgementDue due) {
            ctx.writeAndFlush(new Acknowledgement(due.sequenceNumber()));
        } else if (event instanceof HandshakeCompleted done) {
            log.debug("{}: {} handshake completed", remote(), done.kind());
        } else if (event instanceof HandshakeFailed failed) {
            context.events().handshakeFailed(failed.reason());
        }
        ctx.fireUserEventTriggered(event);
    }

    /** Closes publishers that went silent and connections that never do anything. */
    private void checkIdle() {
        long now = System.nanoTime();
        SessionSettings settings = context.settings();
        boolean active = false;
        for (NetStream stream : streams.values()) {
            if (stream.ingest != null) {
                active = true;
                stream.ingest.publication().checkBitrate();
                long silent = now - stream.ingest.lastActivityNanos();
                if (silent > settings.publisherIdleTimeout().toNanos()) {
                    log.warn("{}: publisher of room {} sent no media for {} s, closing", remote(), stream.ingest.publication().feedId(),
                            TimeUnit.NANOSECONDS.toSeconds(silent));
                    ctx.close();
                    return;
                }
            } else if (stream.viewer != null) {
                active = true;
                if (now - stream.viewer.lastDeliveryNanos() > settings.viewerIdleTimeout().toNanos()) {
                    log.info("{}: viewer of room {} received nothing for {} min, closing", remote(), stream.viewer.roomId(),
                            settings.viewerIdleTimeout().toMinutes());
                    ctx.close();
                    return;
                }
            }
        }
        if (!active && now - lastActivityNanos > settings.idleConnectionTimeout().toNanos()) {
            log.info("{}: idle connection (no publish or play), closing", remote());
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ctx.channel().isActive() || cause instanceof java.io.IOException) {
            // The peer went away (reset, broken pipe) or a queued write met the closed socket: not news.
            log.debug("{}: connection ended: {}", remote(), cause.toString());
        } else {
            log.warn("{}: closing connection: {}", remote(),
                    LogText.of(cause.getMessage() == null ? cause.toString() : cause.getMessage(), 200));
            context.events().protocolError();
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        releaseHeld();
        bandwidth.close();
        for (NetStream stream : streams.values()) {
            stream.close(false);
        }
        streams.clear();
        if (noisy.suppressed() > 0) {
            log.info("{}: {} more log lines of this connection were suppressed (unknown commands, unreadable messages, "
                    + "unknown streams)", remote(), noisy.suppressed());
        }
        ctx.fireChannelInactive();
    }

    /**
     * Runs {@code then} on a worker loop: at once when the connection is on one, otherwise after moving it there from
     * its setup loop ({@link LoopHandover}; an ingest loop when it {@code publishes} and the server has them). Messages read meanwhile are held and handled after {@code then}, in the
     * order they came, so the session sees them as if nothing had happened. Nothing runs once the connection closed.
     */
    private void onWorkerLoop(boolean publishes, Runnable then) {
        if (held != null) {
            held.add(then); // a second step for the worker (a replayed play) while the first one moves
            return;
        }
        if (!context.handover().mustMove(ctx.channel())) {
            then.run();
            return;
        }
        held = new ArrayList<>();
        held.add(then);
        if (watchdog != null) {
            watchdog.cancel(false); // scheduled on the setup loop; started again on the worker
        }
        context.handover().move(ctx.channel(), publishes, this::arrived, cause -> {
            log.warn("{}: could not move the connection to a worker loop, closing: {}", remote(), cause.toString());
            ctx.channel().close(); // its channelInactive releases what was held
        });
    }

    /** On the worker loop after a move: what waited runs, in order. */
    private void arrived() {
        if (held == null || !ctx.channel().isActive()) {
            return; // closed meanwhile: channelInactive releases what was held, on the loop that saw the close
        }
        startWatchdog();
        List<Object> waiting = held;
        held = null;
        for (Object item : waiting) {
            if (item instanceof Runnable step) {
                if (!closing) {
                    step.run();
                }
            } else if (closing) {
                ReferenceCountUtil.release(item);
            } else {
                handle((RtmpMessage) item);
            }
        }
    }

    private void releaseHeld() {
        if (held != null) {
            for (Object item : held) {
                if (!(item instanceof Runnable)) {
                    ReferenceCountUtil.release(item);
                }
            }
            held = null;
        }
    }

    private Object remote() {
        return ctx.channel().remoteAddress();
    }

    /** One NetStream of this connection: idle, publishing or playing. */
    private static final class NetStream {
        /**
         * Most messages, and bytes, kept from an encoder that sends its metadata and sequence headers right after
         * {@code publish} without waiting for {@code NetStream.Publish.Start} (as a pipelining encoder may) while the
         * publish is still being judged (the key checked, the room's lease taken): they are what every viewer needs
         * first, so they wait and go in order once the publish starts, and are dropped if it is refused.
         */
        static final int EARLY_MESSAGES = 256;
        static final long EARLY_BYTES = 4L << 20;

        final int id;
        boolean pending;
        IngestPublisher ingest;
        RtmpViewer viewer;
        private final ArrayDeque<RtmpMessage> early = new ArrayDeque<>();
        private long earlyBytes;
        private boolean earlyOverflowed;

        NetStream(int id) {
            this.id = id;
        }

        /**
         * Takes a media or data message: into the publish, or kept while the publish is pending; false when neither
         * (no publish, or past the cap), and the caller releases it.
         */
        boolean take(RtmpMessage message, Object remote) {
            if (ingest != null) {
                ingest(message);
                return true;
            }
            if (!pending) {
                return false;
            }
            long size = ((ByteBufHolder) message).content().readableBytes();
            if (early.size() >= EARLY_MESSAGES || earlyBytes + size > EARLY_BYTES) {
                if (!earlyOverflowed) {
                    earlyOverflowed = true;
                    log.warn("{}: stream {}: media sent before the publish started went past {} messages or {} MiB;"
                            + " the rest is dropped", remote, id, EARLY_MESSAGES, EARLY_BYTES >> 20);
                }
                return false;
            }
            early.add(message);
            earlyBytes += size;
            return true;
        }

        private void ingest(RtmpMessage message) {
            if (message instanceof MediaMessage media) {
                ingest.media(media);
            } else {
                ingest.data((DataMessage) message);
            }
        }

        /** Hands the held messages, in order, to the publish that started. */
        void replayEarly() {
            RtmpMessage message;
            while ((message = early.poll()) != null) {
                ingest(message);
            }
            earlyBytes = 0;
        }

        /** Drops whatever is still held (a refused publish, a closed stream). */
        void releaseEarly() {
            early.forEach(ReferenceCountUtil::release);
            early.clear();
            earlyBytes = 0;
        }

        void close(boolean byClient) {
            releaseEarly();
            if (ingest != null) {
                ingest.stop(byClient);
                ingest = null;
            }
            if (viewer != null) {
                viewer.stop(byClient ? "stream deleted" : "connection closed");
                viewer = null;
            }
        }
    }
}
