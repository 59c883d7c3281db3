package fluxrelay.hls;

import fluxrelay.hls.ts.AccessUnitWriter;
import fluxrelay.hls.ts.ElementaryStream;
import fluxrelay.hls.ts.TsMuxer;
import fluxrelay.hls.ts.TsProgram;
import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.codec.Adts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * MPEG-TS segments for HLS (RFC 8216 3.2): each segment opens with PAT and PMT; video access units go in
 * Annex B form with a delimiter and, at keyframes, the parameter sets; AAC frames get ADTS headers and are
 * packed several to a PES packet (at most {@value #AUDIO_PES_SPAN_MS} ms of audio each, which keeps the
 * PCR of audio-only streams within the 100 ms the standard asks for).
 *
 * <p>Time stamps: the room timeline in ms, times 90, shifted {@value #CLOCK_OFFSET_MS} ms so that the PCR,
 * which runs {@value #PCR_DELAY_MS} ms behind the decode time stamps it travels with, never goes negative.
 */
final class TsWriter implements ContainerWriter {

    static final int PMT_PID = 0x1000;
    static final int VIDEO_PID = 0x100;
    static final int AUDIO_PID = 0x101;
    static final long CLOCK_OFFSET_MS = 1000;
    static final long PCR_DELAY_MS = 500;
    static final long AUDIO_PES_SPAN_MS = 80;
    private static final int AUDIO_PES_MAX_BYTES = 60_000;

    private final ByteBufAllocator allocator;
    private ByteBuf accessUnit;
    private ByteBuf audio;
    private TsMuxer muxer;
    private Tracks tracks;
    private ElementaryStream videoStream;
    private ElementaryStream audioStream;
    private AccessUnitWriter accessUnits;
    private int version = -1;
    private long audioStart = -1;

    /** Takes no buffer yet: they are taken at the first {@link #configure} of a publish. */
    TsWriter(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    public String extension() {
        return "ts";
    }

    @Override
    public String contentType() {
        return "video/mp2t";
    }

    @Override
    public void configure(Tracks tracks) {
        this.tracks = tracks;
        List<ElementaryStream> streams = new ArrayList<>();
        videoStream = null;
        audioStream = null;
        accessUnits = null;
        VideoTrack video = tracks.video();
        if (video != null) {
            videoStream = new ElementaryStream(VIDEO_PID, video.codec() == VideoCodec.AVC ? ElementaryStream.TYPE_H264
                    : ElementaryStream.TYPE_H265, ElementaryStream.STREAM_ID_VIDEO);
            streams.add(videoStream);
            accessUnits = new AccessUnitWriter(video.codec(), video.nalLengthSize(), video.parameterSets());
        }
        AudioTrack track = tracks.audio();
        if (track != null) {
            int type = track.codec() == AudioCodec.AAC ? ElementaryStream.TYPE_AAC_ADTS
                    : track.info().sampleRate() >= 32000 ? ElementaryStream.TYPE_MPEG1_AUDIO : ElementaryStream.TYPE_MPEG2_AUDIO;
            audioStream = new ElementaryStream(AUDIO_PID, type, ElementaryStream.STREAM_ID_AUDIO);
            streams.add(audioStream);
        }
        version = (version + 1) & 31;
        int pcrPid = videoStream != null ? VIDEO_PID : AUDIO_PID;
        muxer = new TsMuxer(new TsProgram(1, PMT_PID, pcrPid, version, streams));
        if (accessUnit == null) {
            accessUnit = allocator.buffer(64 * 1024);
            audio = allocator.buffer(8 * 1024);
        }
        audio.clear();
        audioStart = -1;
    }

    @Override
    public void beginSegment(ByteBuf out) {
        muxer.writeTables(out);
    }

    @Override
    public void writeVideo(VideoFrame frame, ByteBuf out) {
        ByteBuf payload = frame.payload();
        int start = payload.readerIndex() + frame.dataOffset();
        accessUnit.clear();
        boolean randomAccess = accessUnits.write(payload, start, payload.writerIndex() - start, frame.keyframe(), accessUnit);
        long dts = clock(frame.timestamp());
        long pts = clock(frame.timestamp() + frame.compositionTime());
        muxer.writePes(out, videoStream, pts, dts, accessUnit, randomAccess, pcr(dts));
    }

    @Override
    public void writeAudio(AudioFrame frame, ByteBuf out) {
        ByteBuf payload = frame.payload();
        int start = payload.readerIndex() + frame.dataOffset();
        int length = payload.writerIndex() - start;
        if (length <= 0) {
            return;
        }
        if (audioStart >= 0 && (frame.timestamp() - audioStart >= AUDIO_PES_SPAN_MS
                || audio.readableBytes() + length + Adts.HEADER_LENGTH > AUDIO_PES_MAX_BYTES)) {
            flushAudio(out);
        }
        if (tracks.audio().codec() == AudioCodec.AAC) {
            Adts.writeHeader(audio, tracks.audio().config(), length);
        }
        audio.writeBytes(payload, start, length);
        if (audioStart < 0) {
            audioStart = frame.timestamp();
        }
    }

    @Override
    public void endSegment(ByteBuf out) {
        flushAudio(out);
    }

    private void flushAudio(ByteBuf out) {
        if (audioStart < 0) {
            return;
        }
        long pts = clock(audioStart);
        long pcr = videoStream == null ? pcr(pts) : -1;
        muxer.writePes(out, audioStream, pts, -1, audio, true, pcr);
        audio.clear();
        audioStart = -1;
    }

    /** Room timeline ms to the 90 kHz clock. */
    static long clock(long millis) {
        return ((millis + CLOCK_OFFSET_MS) * 90) & TsMuxer.TIMESTAMP_MASK;
    }

    private static long pcr(long decodeTime) {
        return (decodeTime - PCR_DELAY_MS * 90) & TsMuxer.TIMESTAMP_MASK;
    }

    @Override
    public void releaseBuffers() {
        if (accessUnit != null) {
            accessUnit.release();
            audio.release();
            accessUnit = null;
            audio = null;
        }
        audioStart = -1;
    }

    @Override
    public void close() {
        releaseBuffers();
    }
}
