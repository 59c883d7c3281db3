package fluxrelay.rtmp.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.egress.FlushBatcher;
import fluxrelay.egress.FlushPolicy;
import fluxrelay.flv.OneTrackTag;
import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import fluxrelay.rtmp.chunk.ChunkEncoder;
import fluxrelay.rtmp.chunk.ChunkedBody;
import fluxrelay.rtmp.chunk.MessageTypes;
import fluxrelay.rtmp.chunk.RawMessage;
import fluxrelay.rtmp.message.ChunkStreamIds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop's sharing when its viewers watch several hubs, written the way {@link RtmpViewer} writes (a shared body when
 * the cache has one, else a plain message), one loop task per frame and hub as the hub delivers: the frames of two hubs
 * interleave on the loop, and still the viewers of each hub (and the multitrack viewers, sent the program and a
 * rendition as track 1) send one slice each per flush, with exactly the bytes plain chunking gives them.
 */
class SharedChunksHubsTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final int STREAM_ID = 1;
    private static final FlushPolicy BATCHED = FlushPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 40_000, Duration.ZERO);

    private final EventLoop loop = new DefaultEventLoop();
    private final List<MediaFrame> frames = new ArrayList<>();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (MediaFrame frame : frames) {
            assertEquals(0, frame.refCnt(), "a frame was leaked: " + frame);
        }
    }

    /** A viewer: its connection, what it watches and the plain messages it should receive, in order. */
    private static final class Viewer {
        final EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
        final Object group;
        final List<RawMessage> expected = new ArrayList<>();

        Viewer(Object group) {
            this.group = group;
        }

        ChunkEncoder encoder() {
            return channel.pipeline().get(ChunkEncoder.class);
        }
    }

    /** An AAC raw frame or an AVC inter frame, with a payload of its own pattern. */
    private MediaFrame frame(boolean video, long timestamp, int size, int seed) {
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = (byte) (seed * 31 + i * 7);
        }
        MediaFrame frame;
        if (video) {
            body[0] = 0x27; // inter frame, AVC
            body[1] = 1; // NALUs
            frame = new VideoFrame(timestamp, VideoCodec.AVC, VideoPacketKind.CODED_FRAME, false, 0, 5, Unpooled.wrappedBuffer(body));
        } else {
            body[0] = (byte) 0xAF; // AAC
            body[1] = 1; // raw
            frame = new AudioFrame(timestamp, AudioCodec.AAC, false, 2, Unpooled.wrappedBuffer(body));
        }
        frames.add(frame);
        return frame;
    }

    /** What RtmpViewer.write does with a frame of the viewer's hub. */
    private void write(Viewer viewer, MediaFrame frame, FlushBatcher batcher) {
        SharedChunks shared = SharedChunks.current();
        boolean video = frame instanceof VideoFrame;
        int csid = video ? ChunkStreamIds.VIDEO : ChunkStreamIds.AUDIO;
        int type = video ? MessageTypes.VIDEO : MessageTypes.AUDIO;
        viewer.expected.add(new RawMessage(csid, type, frame.timestamp(), STREAM_ID, frame.payload().retainedDuplicate()));
        ChunkedBody body = shared.bodyFor(frame, loop, ALLOC, viewer.encoder().outgoingChunkSize(), csid, frame.timestamp());
        if (body == null || !viewer.encoder().writeShared(csid, type, frame.timestamp(), STREAM_ID, body,
                shared.run(batcher, ALLOC, viewer.group))) {
            viewer.channel.write(new RawMessage(csid, type, frame.timestamp(), STREAM_ID, frame.payload().retain()));
        }
    }

    /** What RtmpViewer's track owner does with a rendition frame sent as track {@code track}. */
    private void writeTrack(Viewer viewer, MediaFrame frame, int track, FlushBatcher batcher) {
        SharedChunks shared = SharedChunks.current();
        boolean video = frame instanceof VideoFrame;
        int csid = video ? ChunkStreamIds.TRACK_VIDEO : ChunkStreamIds.TRACK_AUDIO;
        int type = video ? MessageTypes.VIDEO : MessageTypes.AUDIO;
        viewer.expected.add(new RawMessage(csid, type, frame.timestamp(), STREAM_ID,
                OneTrackTag.wrap(video, frame.payload(), track, ALLOC)));
        ChunkedBody body = shared.trackBodyFor(frame, track, loop, ALLOC, viewer.encoder().outgoingChunkSize(), csid,
                frame.timestamp());
        if (body == null || !viewer.encoder().writeShared(csid, type, frame.timestamp(), STREAM_ID, body,
                shared.run(batcher, ALLOC, viewer.group))) {
            viewer.channel.write(new RawMessage(csid, type, frame.timestamp(), STREAM_ID,
                    OneTrackTag.wrap(video, frame.payload(), track, ALLOC)));
        }
    }

    /** The bytes plain chunking of the viewer's expected messages gives, releasing them. */
    private static byte[] reference(Viewer viewer) {
        EmbeddedChannel plain = new EmbeddedChannel(new ChunkEncoder());
        viewer.expected.forEach(plain::writeOutbound);
        viewer.expected.clear();
        return drain(plain);
    }

    private static byte[] drain(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            out.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        return out.toByteArray();
    }

    @Test
    void viewersOfTwoHubsAndMultitrackViewersOnOneLoopEachMergeTheirWrites() throws Exception {
        Object program = "program";
        Object rendition = "480p";
        Object multitrack = "program with tracks";
        List<Viewer> programViewers = List.of(new Viewer(program), new Viewer(program), new Viewer(program));
        List<Viewer> renditionViewers = List.of(new Viewer(rendition), new Viewer(rendition), new Viewer(rendition));
        List<Viewer> multitrackViewers = List.of(new Viewer(multitrack), new Viewer(multitrack), new Viewer(multitrack));
        FlushBatcher batcher = loop.submit(() -> FlushBatcher.forLoop(loop, BATCHED)).get();

        // One loop task per frame and hub, as the hubs deliver: the program's and the rendition's frames interleave.
        for (int i = 0; i < 12; i++) {
            boolean video = i % 3 != 0;
            long timestamp = 1000 + 20L * i;
            MediaFrame programFrame = frame(video, timestamp, video ? 900 + 40 * i : 370, i);
            MediaFrame renditionFrame = frame(video, timestamp, video ? 300 + 10 * i : 200, 100 + i);
            loop.submit(() -> {
                for (Viewer viewer : programViewers) {
                    write(viewer, programFrame, batcher);
                }
                for (Viewer viewer : multitrackViewers) {
                    write(viewer, programFrame, batcher);
                }
                programFrame.release();
            }).get();
            loop.submit(() -> {
                // The rendition hub's members on this loop: its own viewers and the multitrack viewers' track 1.
                for (int v = 0; v < 3; v++) {
                    write(renditionViewers.get(v), renditionFrame, batcher);
                    writeTrack(multitrackViewers.get(v), renditionFrame, 1, batcher);
                }
                renditionFrame.release();
            }).get();
        }

        List<Viewer> all = new ArrayList<>(programViewers);
        all.addAll(renditionViewers);
        all.addAll(multitrackViewers);
        loop.submit(() -> {
            SharedChunks shared = SharedChunks.current();
            shared.batchStarting();
            for (Viewer viewer : all) {
                viewer.channel.flush();
            }
            for (List<Viewer> group : List.of(programViewers, renditionViewers, multitrackViewers)) {
                assertTrue(group.get(0).channel.outboundMessages().size() > 1,
                        "the first viewer of a frame chunks it itself: a write per message");
                for (Viewer viewer : group.subList(1, group.size())) {
                    assertEquals(1, viewer.channel.outboundMessages().size(),
                            "the later viewers of a hub send the batch as one slice, whatever the other hubs sent");
                }
                for (Viewer viewer : group) {
                    assertArrayEquals(reference(viewer), drain(viewer.channel), "the bytes of plain chunking");
                }
            }
            shared.batchEnded();
        }).get();
        for (Viewer viewer : all) {
            viewer.channel.finishAndReleaseAll();
        }
    }
}
