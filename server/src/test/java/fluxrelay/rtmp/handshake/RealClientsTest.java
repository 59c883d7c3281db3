package fluxrelay.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Requirements;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real clients against {@link ServerHandshakeHandler} on a loopback socket: ffmpeg 7.1.1 from Maven
 * (digest handshake; as a player it also verifies our S1 digest and S2 signature and gives up otherwise) and
 * rtmpdump (plain handshake). Each must complete the handshake and then send its AMF0 {@code connect}
 * command. The clients wait for a reply that never comes and are killed afterwards. Skipped when a tool is
 * not installed.
 */
class RealClientsTest {

    private static final String URL = "rtmp://127.0.0.1:%d/live/x";

    @Test
    void ffmpegPublishing() throws Exception {
        run(HandshakeKind.DIGEST, fluxrelay.testing.Ffmpeg.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=160x120:rate=5", "-t", "1", "-c:v", "libx264", "-f", "flv", URL);
    }

    @Test
    void ffmpegPlayingChecksOurDigests() throws Exception {
        run(HandshakeKind.DIGEST, fluxrelay.testing.Ffmpeg.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", URL,
                "-f", "null", "-");
    }

    @Test
    void rtmpdump() throws Exception {
        run(HandshakeKind.PLAIN, "rtmpdump", "-q", "-r", URL, "-o", "/dev/null");
    }

    private static void run(HandshakeKind expected, String... command) throws Exception {
        Requirements.tool(command[0], "apt-get install " + command[0]);
        FirstBytes firstBytes = new FirstBytes();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Process process = null;
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ServerHandshakeHandler(HandshakeLimits.defaults()), firstBytes);
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            List<String> args = new ArrayList<>();
            for (String arg : command) {
                args.add(arg.equals(URL) ? String.format(URL, port) : arg);
            }
            process = new ProcessBuilder(args).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Process started = process;
            process.onExit().thenRun(() -> firstBytes.done.completeExceptionally(
                    new AssertionError(command[0] + " exited early with status " + started.exitValue())));

            List<Object> seen = firstBytes.done.get(60, TimeUnit.SECONDS); // bounded wait, not a timing check
            assertTrue(seen.get(0) instanceof HandshakeCompleted, "the event precedes the bytes: " + seen);
            assertEquals(expected, ((HandshakeCompleted) seen.get(0)).kind());
            assertTrue(((String) seen.get(1)).contains("connect"));
        } finally {
            if (process != null) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Completes with [the handshake event, the bytes after it as ISO-8859-1 text] once those bytes contain
     * "connect" (the AMF0 command name in the first chunk). Holds at most 64 KiB; releases every buffer.
     */
    private static final class FirstBytes extends ChannelInboundHandlerAdapter {
        final CompletableFuture<List<Object>> done = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Object event;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HandshakeCompleted && event == null) {
                event = evt;
            } else if (evt instanceof HandshakeFailed failed) {
                done.completeExceptionally(new AssertionError("handshake failed: " + failed.reason()));
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (event == null) {
                    done.completeExceptionally(new AssertionError("bytes arrived before the handshake event"));
                }
                if (bytes.size() < 65536) {
                    byte[] copy = new byte[buf.readableBytes()];
                    buf.readBytes(copy);
                    bytes.writeBytes(copy);
                }
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                if (text.contains("connect")) {
                    done.complete(List.of(event, text));
                }
            } finally {
                buf.release();
            }
        }
    }
}
