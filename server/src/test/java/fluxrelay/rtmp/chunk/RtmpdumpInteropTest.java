package fluxrelay.rtmp.chunk;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.chunk.ChunkFixtures.Msg;
import fluxrelay.testing.Requirements;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real client: rtmpdump (librtmp) connects to a tiny Netty server made of a test-only plain
 * handshake responder (RTMP spec 5.2) and {@link ChunkDecoder}; its {@code connect} command must
 * arrive as a type 20 message. Bounded waits throughout; rtmpdump is killed in any case.
 */
class RtmpdumpInteropTest {

    /** Answers C0+C1 with S0 (version 3), a zero S1 and S2 = C1, waits for C2, then hands over. */
    private static final class PlainHandshakeResponder extends ByteToMessageDecoder {
        private static final int SIGNATURE = 1536;
        private boolean answered;

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (!answered) {
                if (in.readableBytes() < 1 + SIGNATURE) {
                    return;
                }
                in.skipBytes(1);
                ByteBuf reply = ctx.alloc().buffer(1 + 2 * SIGNATURE);
                reply.writeByte(3).writeZero(SIGNATURE).writeBytes(in, SIGNATURE);
                ctx.writeAndFlush(reply);
                answered = true;
            }
            if (in.readableBytes() < SIGNATURE) {
                return;
            }
            in.skipBytes(SIGNATURE);
            ctx.pipeline().addAfter(ctx.name(), "chunk", new ChunkDecoder(ChunkLimits.DEFAULTS, 1 + 2 * SIGNATURE));
            ctx.pipeline().remove(this);
        }
    }

    @Test
    void rtmpdumpConnectIsDecoded() throws Exception {
        Path rtmpdump = Requirements.tool("rtmpdump", "apt-get install rtmpdump");
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Process process = null;
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast("handshake", new PlainHandshakeResponder());
                            ch.pipeline().addLast("collect", new SimpleChannelInboundHandler<RawMessage>(false) {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, RawMessage m) {
                                    received.add(Msg.of(m));
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    received.add(cause);
                                    ctx.close();
                                }
                            });
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            process = new ProcessBuilder(rtmpdump.toString(), "-r", "rtmp://127.0.0.1:" + port + "/live/x",
                    "-o", "/dev/null", "-m", "10")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Object first = received.poll(20, TimeUnit.SECONDS);
            assertNotNull(first, "no message from rtmpdump within 20 s");
            assertTrue(first instanceof Msg, "decoder failed: " + first);
            Msg connect = (Msg) first;
            assertTrue(connect.type() == MessageTypes.COMMAND_AMF0, connect.toString());
            String body = new String(connect.payload(), StandardCharsets.ISO_8859_1);
            assertTrue(body.startsWith("\u0002\u0000\u0007connect"), body);
            assertTrue(body.contains("rtmp://127.0.0.1:" + port + "/live"), "tcUrl: " + body);
        } finally {
            if (process != null) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }
}
