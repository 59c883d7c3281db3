package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.flv.FlvFormatException;
import fluxrelay.flv.FlvTagDemuxer;
import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import fluxrelay.media.codec.AnnexB;
import fluxrelay.media.codec.CodecFormatException;
import fluxrelay.media.codec.CodecInfo;
import io.netty.buffer.ByteBuf;

/**
 * {@link FlvTagDemuxer} (FLV spec E.4.2-E.4.4, Enhanced RTMP v2 headers) on arbitrary tag bodies,
 * then what ingest does with the frame: codec summaries of sequence headers and AVCC to Annex B for
 * coded frames. The first input byte picks the tag type (8, 9 or 18; other values map onto them), the
 * rest is the body. Demuxing fails only with {@link FlvFormatException} and releases the body then;
 * the consumers fail only with {@link CodecFormatException}; a frame's codec data lies inside its
 * payload; every buffer is released. Seeds: the first tags and the last tag of each sample clip.
 */
class FlvTagFuzzTest {

    private static final int[] TYPES = {FlvTagDemuxer.AUDIO, FlvTagDemuxer.VIDEO, FlvTagDemuxer.SCRIPT};

    @FuzzTest
    void demuxTag(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int first = input[0] & 0xFF;
        int type = first == 8 || first == 9 || first == 18 ? first : TYPES[first % 3];
        TrackingAllocator alloc = new TrackingAllocator();
        ByteBuf body = alloc.copyOf(input, 1, input.length - 1);
        MediaFrame frame;
        try {
            frame = FlvTagDemuxer.demux(type, 1000, body);
        } catch (FlvFormatException e) {
            alloc.assertAllReleased("failed demux");
            return;
        }
        try {
            assertEquals(1000, frame.timestamp());
            assertTrue(frame.dataOffset() >= 0 && frame.dataOffset() <= frame.size(),
                    "data offset " + frame.dataOffset() + " of " + frame.size());
            consume(frame, alloc);
        } finally {
            frame.release();
        }
        alloc.assertAllReleased("demux");
    }

    private static void consume(MediaFrame frame, TrackingAllocator alloc) {
        ByteBuf payload = frame.payload();
        int start = payload.readerIndex() + frame.dataOffset();
        int length = frame.size() - frame.dataOffset();
        try {
            if (frame instanceof VideoFrame video) {
                if (video.isSequenceHeader()) {
                    CodecInfo.fromSequenceHeader(video);
                } else if (video.kind() == VideoPacketKind.CODED_FRAME
                        && (video.codec() == VideoCodec.AVC || video.codec() == VideoCodec.HEVC)) {
                    ByteBuf out = alloc.heapBuffer();
                    try {
                        AnnexB.convert(payload, start, length, 4, out);
                        AnnexB.forEach(payload, start, length, 4, video.codec(), (nalType, offset, size) -> {
                            assertTrue(offset >= start && offset + size <= start + length, "NAL unit outside the frame");
                        });
                    } finally {
                        out.release();
                    }
                }
            } else if (frame instanceof AudioFrame audio && (audio.sequenceHeader() || audio.codec() != AudioCodec.AAC)) {
                CodecInfo.fromSequenceHeader(audio);
            }
        } catch (CodecFormatException e) {
            // malformed codec data inside a well-formed tag
        }
        assertEquals(start - frame.dataOffset(), payload.readerIndex(), "consumers must not move the shared payload");
    }
}
