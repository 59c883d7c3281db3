package fluxrelay.rtmp.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection so the peer reads why: the last status is flushed, the server's side is half-closed
 * (FIN), and what the peer still sends is read and dropped for a moment before the socket closes.
 * Closing at once would reset the connection while an encoder is still sending, and it would never see
 * the status.
 */
final class Farewell {

    private static final long LINGER_MS = 2000;

    private Farewell() {
    }

    /** Writes {@code message} (the refusal or end status) and closes gracefully. */
    static void send(ChannelHandlerContext ctx, Object message) {
        Channel channel = ctx.channel();
        ChannelFuture written = ctx.writeAndFlush(message);
        written.addListener(f -> {
            if (channel instanceof DuplexChannel duplex && f.isSuccess()) {
                duplex.shutdownOutput();
                channel.eventLoop().schedule(() -> channel.close(), LINGER_MS, TimeUnit.MILLISECONDS);
            } else {
                channel.close();
            }
        });
    }
}
