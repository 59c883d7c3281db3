package fluxrelay.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Requirements;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A connection accepted onto a setup loop moves to a worker loop over real sockets: what runs after the move runs on
 * the worker, the connection reads on there (its pipeline and state went along), and a task left on the setup loop,
 * wrapped by {@link LoopHandover#onChannelLoop} (as a timer scheduled before the move), runs on the worker. A
 * publisher moves to an ingest loop instead when the server has them.
 */
class LoopHandoverTest {

    private static final long WAIT_SECONDS = 10;

    private EventLoopGroup boss;
    private EventLoopGroup setup;
    private EventLoopGroup workers;
    private EventLoopGroup ingest;
    private Channel server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        for (EventLoopGroup group : new EventLoopGroup[] {boss, setup, workers, ingest}) {
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    /**
     * Replies to each line with the line, the group its loop belongs to ("setup"/"worker"/"ingest") and, first, moves
     * (as a publisher when {@code publishes}).
     */
    private final class Mover extends ChannelInboundHandlerAdapter {
        private final LoopHandover handover;
        private final boolean publishes;
        final CompletableFuture<EventExecutorGroup> movedOnto = new CompletableFuture<>();
        final CompletableFuture<EventExecutorGroup> timerRanOn = new CompletableFuture<>();
        private boolean asked;

        Mover(LoopHandover handover, boolean publishes) {
            this.handover = handover;
            this.publishes = publishes;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            String line = in.toString(StandardCharsets.US_ASCII).trim();
            in.release();
            EventExecutorGroup group = ctx.channel().eventLoop().parent();
            String where = group == setup ? "setup" : group == ingest ? "ingest" : "worker";
            ctx.writeAndFlush(Unpooled.copiedBuffer(line + " " + where + "\n", StandardCharsets.US_ASCII));
            if (!asked) {
                asked = true;
                Channel channel = ctx.channel();
                assertTrue(handover.mustMove(channel));
                EventLoop setupLoop = channel.eventLoop();
                handover.move(channel, publishes, () -> {
                    assertFalse(handover.mustMove(channel));
                    movedOnto.complete(currentGroup(channel));
                    // As a timer scheduled before the move and firing after it: run on the old loop, it must hop.
                    setupLoop.execute(LoopHandover.onChannelLoop(channel, () -> timerRanOn.complete(currentGroup(channel))));
                }, movedOnto::completeExceptionally);
            }
        }

        /** The group of the loop running the caller, which must be the channel's. */
        private EventExecutorGroup currentGroup(Channel channel) {
            assertTrue(channel.eventLoop().inEventLoop(), "runs on the channel's loop");
            return channel.eventLoop().parent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aConnectionMovesToAWorkerLoopAndReadsOnThere(String transport) throws Exception {
        moveAndRead(transport, false, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aPublisherMovesToAnIngestLoopAndReadsOnThere(String transport) throws Exception {
        moveAndRead(transport, true, true);
    }

    @Test
    void aViewerMovesToAWorkerLoopWhenThereAreIngestLoops() throws Exception {
        moveAndRead("nio", true, false);
    }

    @Test
    void ingestLoopsNeedSetupLoops() {
        workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ingest = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        assertThrows(IllegalArgumentException.class, () -> LoopHandover.of(null, workers, ingest));
    }

    /** A connection on a setup loop moves (as a publisher when {@code publishes}) and reads on the loop it moved to. */
    private void moveAndRead(String transport, boolean withIngest, boolean publishes) throws Exception {
        IoHandlerFactory handlers;
        Class<? extends ServerChannel> serverChannel;
        if (transport.equals("epoll")) {
            Requirements.require(Epoll.isAvailable(), "the epoll transport (Linux)");
            handlers = EpollIoHandler.newFactory();
            serverChannel = EpollServerSocketChannel.class;
        } else {
            handlers = NioIoHandler.newFactory();
            serverChannel = NioServerSocketChannel.class;
        }
        boss = new MultiThreadIoEventLoopGroup(1, handlers);
        setup = new MultiThreadIoEventLoopGroup(1, handlers);
        workers = new MultiThreadIoEventLoopGroup(2, handlers);
        ingest = withIngest ? new MultiThreadIoEventLoopGroup(1, handlers) : null;
        LoopHandover handover = LoopHandover.of(setup, workers, ingest);
        assertSame(setup, handover.acceptInto());
        assertSame(ingest, handover.ingestLoops());
        EventLoopGroup expected = publishes && withIngest ? ingest : workers;
        String expectedName = expected == ingest ? "ingest" : "worker";
        CompletableFuture<Mover> mover = new CompletableFuture<>();
        server = new ServerBootstrap().group(boss, handover.acceptInto()).channel(serverChannel)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        Mover handler = new Mover(handover, publishes);
                        ch.pipeline().addLast(handler);
                        mover.complete(handler);
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out.write("first\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("first setup", in.readLine(), "answered on the setup loop");
            Mover handler = mover.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertSame(expected, handler.movedOnto.get(WAIT_SECONDS, TimeUnit.SECONDS), "the move ends on a " + expectedName + " loop");
            out.write("second\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("second " + expectedName, in.readLine(), "read on the " + expectedName + " loop after the move");
            assertSame(expected, handler.timerRanOn.get(WAIT_SECONDS, TimeUnit.SECONDS),
                    "a timer scheduled before the move runs where the connection is");
        }
    }

    @Test
    void withoutSetupLoopsConnectionsStayWhereTheyAreAccepted() {
        workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        LoopHandover handover = LoopHandover.of(null, workers);
        assertSame(workers, handover.acceptInto());
        assertNull(handover.setupLoops());
        EmbeddedChannel channel = new EmbeddedChannel();
        assertFalse(handover.mustMove(channel));
        assertFalse(LoopHandover.NONE.mustMove(channel));
        channel.finishAndReleaseAll();
    }
}
