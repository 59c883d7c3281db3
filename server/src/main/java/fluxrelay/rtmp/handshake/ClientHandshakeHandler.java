package fluxrelay.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Client side of the RTMP handshake (RTMP spec 5.2), for the project's test client and load generator; one
 * instance per connection, first in the pipeline.
 *
 * <p>When the channel is active, sends C0+C1: plain (version 0) or digest (version {@link #CLIENT_VERSION}
 * and a client digest in the chosen schema). Reads S0+S1+S2; in digest mode S1 must carry a valid server
 * digest unless the server answered plainly (S1 version 0), and S2 should be signed against our digest; in
 * plain mode S2 should echo C1. An S2 mismatch is handled per {@link HandshakeLimits#echoMismatchFatal()}.
 * Then sends C2 (signed in digest mode, S1 echoed otherwise), fires {@link HandshakeCompleted}, completes
 * {@link #completion()} and removes itself; bytes after S2 go to the next handler.
 *
 * <p>Writes from the handlers after this one (say, {@code connect} sent right after the TCP connect) are held
 * until C2 has been written and then sent in order; if the handshake fails they fail with a
 * {@link HandshakeException} and their messages are released.
 */
public final class ClientHandshakeHandler extends HandshakeDecoder implements ChannelOutboundHandler {

    private static final InternalLogger LOGGER = InternalLoggerFactory.getInstance(ClientHandshakeHandler.class);

    /** Version announced in a digest C1, 128.0.7.2 as librtmp's FP9 mode sends. */
    public static final int CLIENT_VERSION = 0x80_00_07_02;

    private static final int ANSWER_SIZE = 1 + 2 * HandshakePacket.SIZE;

    private final HandshakeKind kind;
    private final DigestSchema schema;
    private final CompletableFuture<HandshakeCompleted> completion = new CompletableFuture<>();
    private byte[] c1;
    private byte[] c1Digest;
    private PendingWriteQueue held;

    /** A client offering {@code kind} with {@link HandshakeLimits#defaults()}. */
    public ClientHandshakeHandler(HandshakeKind kind) {
        this(kind, HandshakeLimits.defaults());
    }

    /** A client offering {@code kind}, digest (if any) in schema 0 as ffmpeg and Flash Player place it. */
    public ClientHandshakeHandler(HandshakeKind kind, HandshakeLimits limits) {
        this(kind, DigestSchema.ZERO, limits);
    }

    /** A client offering {@code kind}, with a digest-mode C1 digest placed by {@code schema}. */
    public ClientHandshakeHandler(HandshakeKind kind, DigestSchema schema, HandshakeLimits limits) {
        super(limits, LOGGER);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    /**
     * Completes on the channel's event loop with the handshake's outcome, or exceptionally with a
     * {@link HandshakeException} naming the issue. Blocking on it from that event loop would deadlock.
     */
    public CompletableFuture<HandshakeCompleted> completion() {
        return completion;
    }

    @Override
    void start(ChannelHandlerContext ctx) {
        boolean digest = kind == HandshakeKind.DIGEST;
        c1 = HandshakePacket.create(0, digest ? CLIENT_VERSION : 0);
        if (digest) {
            HandshakeDigest.imprint(c1, schema, DigestKey.PLAYER);
            c1Digest = HandshakeDigest.digestAt(c1, schema);
        }
        ByteBuf c0c1 = ctx.alloc().buffer(1 + HandshakePacket.SIZE);
        c0c1.writeByte(HandshakePacket.RTMP_VERSION).writeBytes(c1);
        ctx.writeAndFlush(c0c1);
    }

    @Override
    void decodeHandshake(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < ANSWER_SIZE) {
            return;
        }
        int s0 = in.readUnsignedByte();
        if (s0 != HandshakePacket.RTMP_VERSION) {
            fail(ctx, HandshakeIssue.BAD_VERSION, String.format("S0=0x%02x", s0));
            return;
        }
        byte[] s1 = HandshakePacket.read(in);
        byte[] s2 = HandshakePacket.read(in);
        byte[] c2;
        HandshakeKind negotiated;
        if (kind == HandshakeKind.DIGEST && HandshakePacket.version(s1) != 0) {
            Optional<DigestSchema> serverSchema = HandshakeDigest.findDigest(s1, DigestKey.MEDIA_SERVER);
            if (serverSchema.isEmpty()) {
                fail(ctx, HandshakeIssue.S1_DIGEST_INVALID, "no valid server digest in S1");
                return;
            }
            if (!HandshakeDigest.hasValidSignature(s2, c1Digest, DigestKey.MEDIA_SERVER)
                    && !toleratedMismatch(ctx, "S2 is not signed against our digest")) {
                return;
            }
            c2 = HandshakePacket.random();
            HandshakeDigest.sign(c2, HandshakeDigest.digestAt(s1, serverSchema.get()), DigestKey.PLAYER);
            negotiated = HandshakeKind.DIGEST;
        } else {
            if (!HandshakePacket.echoes(s2, c1) && !toleratedMismatch(ctx, "S2 does not echo C1")) {
                return;
            }
            c2 = s1;
            negotiated = HandshakeKind.PLAIN;
        }
        ctx.write(ctx.alloc().buffer(HandshakePacket.SIZE).writeBytes(c2));
        held.removeAndWriteAll();
        held = null;
        ctx.flush();
        complete(ctx, new HandshakeCompleted(negotiated, HandshakePacket.version(c1)));
    }

    /** Reports an S2 mismatch; true if the handshake may go on. */
    private boolean toleratedMismatch(ChannelHandlerContext ctx, String detail) {
        if (limits.echoMismatchFatal()) {
            fail(ctx, HandshakeIssue.S2_MISMATCH, detail);
            return false;
        }
        warn(ctx, HandshakeIssue.S2_MISMATCH, detail);
        return true;
    }

    @Override
    void finished(HandshakeEvent outcome) {
        if (outcome instanceof HandshakeCompleted done) {
            completion.complete(done);
        } else if (outcome instanceof HandshakeFailed failed) {
            HandshakeException cause = new HandshakeException(failed.issue());
            failHeldWrites(cause);
            completion.completeExceptionally(cause);
        }
    }

    private void failHeldWrites(Throwable cause) {
        if (held != null) {
            held.removeAndFailAll(cause);
            held = null;
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        held = new PendingWriteQueue(ctx);
        super.handlerAdded(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        super.handlerRemoved0(ctx);
        failHeldWrites(new IllegalStateException("handshake handler removed before the handshake finished"));
    }

    /** Holds the write until the handshake is done; passes it on afterwards. */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (held != null) {
            held.add(msg, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /** Held writes are flushed with C2. */
    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (held == null) {
            ctx.flush();
        }
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress local, ChannelPromise promise) {
        ctx.bind(local, promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
        ctx.connect(remote, local, promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.close(promise);
    }

    @Override
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        ctx.read();
    }
}
