package fluxrelay.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.Optional;

/**
 * Server side of the RTMP handshake (RTMP spec 5.2), one instance per connection, first in the pipeline.
 *
 * <p>Reads C0 (must be 3, otherwise the connection is closed with {@link HandshakeIssue#BAD_VERSION},
 * {@link HandshakeIssue#HTTP_REQUEST} or {@link HandshakeIssue#TLS_CLIENT_HELLO}) and C1, then answers
 * S0+S1+S2 in one write:
 * <ul>
 *   <li>if C1 carries a valid client digest (schema 0 tried first, then 1): S1 carries our server digest in the
 *       same schema and S2 is random bytes signed against the client's digest ({@link HandshakeKind#DIGEST});
 *   <li>otherwise the plain handshake: S1 = time 0, zero, random; S2 = C1 echoed. A C1 that announces a
 *       version without a valid digest is answered the same way and reported as
 *       {@link HandshakeIssue#DIGEST_FALLBACK}, as other servers do.
 * </ul>
 * Then reads C2 and checks it: it must echo S1's random part or, in digest mode, may instead carry the
 * signature against our S1 digest (ffmpeg, when publishing, echoes S1 instead of signing). A mismatch is
 * handled per {@link HandshakeLimits#echoMismatchFatal()}. Finally fires {@link HandshakeCompleted} and removes
 * itself; bytes that came after C2 (often in the same segment, e.g. OBS's C2 + connect) go to the next handler.
 *
 * <p>Only the fixed 1536-byte packets are ever allocated; nothing the peer sends sets a length.
 */
public final class ServerHandshakeHandler extends HandshakeDecoder {

    private static final InternalLogger LOGGER = InternalLoggerFactory.getInstance(ServerHandshakeHandler.class);

    /** Version we announce in a digest S1: its first byte must be at least 3 for ffmpeg to check our digest. */
    static final int SERVER_VERSION = 0x05_00_03_01;

    private byte[] s1;
    private byte[] s1Digest;
    private HandshakeKind kind;
    private long clientVersion;

    public ServerHandshakeHandler(HandshakeLimits limits) {
        super(limits, LOGGER);
    }

    @Override
    void start(ChannelHandlerContext ctx) {
        // The client speaks first.
    }

    @Override
    void decodeHandshake(ChannelHandlerContext ctx, ByteBuf in) {
        if (s1 == null && !readC0C1(ctx, in)) {
            return;
        }
        if (in.readableBytes() < HandshakePacket.SIZE) {
            return;
        }
        byte[] c2 = HandshakePacket.read(in);
        if (!acceptable(c2)) {
            if (limits.echoMismatchFatal()) {
                fail(ctx, HandshakeIssue.C2_MISMATCH, "C2 neither echoes nor signs S1 (" + kind + ")");
                return;
            }
            warn(ctx, HandshakeIssue.C2_MISMATCH, "C2 neither echoes nor signs S1 (" + kind + ")");
        }
        complete(ctx, new HandshakeCompleted(kind, clientVersion));
    }

    /** Consumes C0+C1 and answers them; false if more bytes are needed or the handshake failed. */
    private boolean readC0C1(ChannelHandlerContext ctx, ByteBuf in) {
        if (!in.isReadable()) {
            return false;
        }
        int c0 = in.getUnsignedByte(in.readerIndex());
        if (c0 != HandshakePacket.RTMP_VERSION) {
            Optional<HandshakeIssue> issue = ForeignPreamble.classify(in);
            issue.ifPresent(it -> fail(ctx, it, describeC0(c0)));
            return false;
        }
        if (in.readableBytes() < 1 + HandshakePacket.SIZE) {
            return false;
        }
        in.skipBytes(1);
        byte[] c1 = HandshakePacket.read(in);
        clientVersion = HandshakePacket.version(c1);
        Optional<DigestSchema> schema = HandshakeDigest.findDigest(c1, DigestKey.PLAYER);
        byte[] s2;
        if (schema.isPresent()) {
            kind = HandshakeKind.DIGEST;
            s1 = HandshakePacket.create(0, SERVER_VERSION);
            HandshakeDigest.imprint(s1, schema.get(), DigestKey.MEDIA_SERVER);
            s1Digest = HandshakeDigest.digestAt(s1, schema.get());
            s2 = HandshakePacket.random();
            HandshakeDigest.sign(s2, HandshakeDigest.digestAt(c1, schema.get()), DigestKey.MEDIA_SERVER);
        } else {
            if (clientVersion != 0) {
                warn(ctx, HandshakeIssue.DIGEST_FALLBACK,
                        "C1 version 0x" + Long.toHexString(clientVersion) + " without a valid digest");
            }
            kind = HandshakeKind.PLAIN;
            s1 = HandshakePacket.create(0, 0);
            s2 = c1;
        }
        ByteBuf answer = ctx.alloc().buffer(1 + 2 * HandshakePacket.SIZE);
        answer.writeByte(HandshakePacket.RTMP_VERSION).writeBytes(s1).writeBytes(s2);
        ctx.writeAndFlush(answer);
        return true;
    }

    private boolean acceptable(byte[] c2) {
        if (HandshakePacket.echoes(c2, s1)) {
            return true;
        }
        return s1Digest != null && HandshakeDigest.hasValidSignature(c2, s1Digest, DigestKey.PLAYER);
    }

    private static String describeC0(int c0) {
        String hex = String.format("C0=0x%02x", c0);
        return switch (c0) {
            case 6, 8, 9 -> hex + ", encrypted RTMPE is not supported";
            default -> hex;
        };
    }
}
