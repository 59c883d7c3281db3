package fluxrelay.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a file of any size, whole or one byte range (RFC 9110 14), read in chunks on a file executor so the event loop
 * never waits for the disk; the next chunk is read once the last one was written out, so a slow client holds one chunk
 * in memory, not the file. Works over TLS too (no zero-copy file regions).
 */
final class FileResponse {

    private static final Logger log = LoggerFactory.getLogger(FileResponse.class);
    private static final int CHUNK = 256 * 1024;

    /**
     * What to send, read from the request before it is released.
     *
     * @param range the {@code Range} header or null
     * @param head a HEAD request: headers only
     * @param keepAlive keep the connection open afterwards
     */
    record Request(String range, boolean head, boolean keepAlive) {
    }

    private FileResponse() {
    }

    /** Opens the file on {@code files} and sends it. */
    static void send(ChannelHandlerContext ctx, Request request, Path file, String contentType, String disposition, Executor files) {
        try {
            files.execute(() -> open(ctx, request, file, contentType, disposition, files));
        } catch (RejectedExecutionException e) {
            writeStatus(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, -1);
        }
    }

    private static void open(ChannelHandlerContext ctx, Request request, Path file, String contentType, String disposition,
                             Executor files) {
        FileChannel channel;
        long size;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            size = channel.size();
        } catch (IOException e) {
            writeStatus(ctx, request, HttpResponseStatus.NOT_FOUND, -1);
            return;
        }
        ByteRange range = ByteRange.parse(request.range(), size);
        if (range == ByteRange.UNSATISFIABLE) {
            close(channel);
            writeStatus(ctx, request, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, size);
            return;
        }
        long first = range == null ? 0 : range.first();
        long length = range == null ? size : range.length();
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT);
        HttpHeaders out = response.headers();
        out.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        out.set(HttpHeaderNames.CONTENT_LENGTH, length);
        out.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        out.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        out.set(HttpHeaderNames.CONTENT_DISPOSITION, disposition);
        if (range != null) {
            out.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + size);
        }
        out.set(HttpHeaderNames.CONNECTION, request.keepAlive() ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.write(response);
        if (request.head() || length == 0) {
            close(channel);
            finish(ctx, request);
            return;
        }
        next(ctx, request, channel, first, first + length, files);
    }

    /** Reads and writes the chunk at {@code at}, then asks for the next once it is written. */
    private static void next(ChannelHandlerContext ctx, Request request, FileChannel channel, long at, long end, Executor files) {
        int length = (int) Math.min(CHUNK, end - at);
        ByteBuf chunk = ctx.alloc().buffer(length);
        try {
            int read = 0;
            while (read < length) {
                int n = chunk.writeBytes(channel, at + read, length - read);
                if (n < 0) {
                    throw new IOException("the file got shorter while being sent");
                }
                read += n;
            }
        } catch (IOException e) {
            chunk.release();
            close(channel);
            log.warn("{}: file download ended early: {}", ctx.channel().remoteAddress(), e.toString());
            ctx.close();
            return;
        }
        long next = at + length;
        if (next >= end) {
            close(channel);
            ctx.write(new DefaultHttpContent(chunk));
            finish(ctx, request);
            return;
        }
        ctx.writeAndFlush(new DefaultHttpContent(chunk)).addListener(written -> {
            if (!written.isSuccess()) {
                close(channel);
                return;
            }
            try {
                files.execute(() -> next(ctx, request, channel, next, end, files));
            } catch (RejectedExecutionException e) {
                close(channel);
                ctx.close();
            }
        });
    }

    private static void finish(ChannelHandlerContext ctx, Request request) {
        var done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!request.keepAlive()) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void writeStatus(ChannelHandlerContext ctx, Request request, HttpResponseStatus status, long size) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (size >= 0) {
            response.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
        }
        response.headers().set(HttpHeaderNames.CONNECTION, request.keepAlive() ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.write(response);
        finish(ctx, request);
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing is lost
        }
    }
}
