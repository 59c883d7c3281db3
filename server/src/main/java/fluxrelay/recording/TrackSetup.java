package fluxrelay.recording;

import fluxrelay.hls.fmp4.TrackConfig;
import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.codec.AudioSpecificConfig;
import fluxrelay.media.codec.CodecInfo;
import fluxrelay.media.codec.VideoCodecInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tracks a recording file carries, read from the stream's sequence headers: H.264 or H.265 video and AAC
 * audio, either or both. Other codecs are not recorded.
 *
 * @param video the video track, or null
 * @param audio the audio track, or null
 */
record TrackSetup(Video video, Audio audio) {

    static final int VIDEO_TRACK = 1;
    static final int AUDIO_TRACK = 2;
    static final int VIDEO_TIMESCALE = 90_000;

    /**
     * A video track.
     *
     * @param hevc H.265 (else H.264)
     * @param config the decoder configuration record, as the sequence header carries it
     */
    record Video(boolean hevc, byte[] config, int width, int height, String codecString) {

        /** Reads an H.264/H.265 sequence header; the frame's indexes do not move. */
        static Video parse(VideoFrame header) {
            ByteBuf payload = header.payload();
            int start = payload.readerIndex() + header.dataOffset();
            byte[] config = ByteBufUtil.getBytes(payload, start, payload.writerIndex() - start);
            VideoCodecInfo info = CodecInfo.fromSequenceHeader(header);
            return new Video(header.codec() == VideoCodec.HEVC, config, info.width(), info.height(), info.codecString());
        }

        boolean same(Video other) {
            return other != null && hevc == other.hevc && Arrays.equals(config, other.config);
        }
    }

    /**
     * An AAC track.
     *
     * @param asc the AudioSpecificConfig
     * @param sampleRate output sampling rate (the SBR rate for HE-AAC), also the track's timescale
     * @param frameSamples samples per coded frame at that rate
     */
    record Audio(byte[] asc, int sampleRate, int channels, int frameSamples, String codecString) {

        /** Reads an AAC sequence header; the frame's indexes do not move. */
        static Audio parse(AudioFrame header) {
            ByteBuf payload = header.payload();
            int start = payload.readerIndex() + header.dataOffset();
            AudioSpecificConfig config = AudioSpecificConfig.parse(payload, start, payload.writerIndex() - start);
            boolean sbr = config.extensionSampleRate() > 0;
            int rate = sbr ? config.extensionSampleRate() : config.sampleRate();
            return new Audio(config.raw(), rate, Math.max(1, config.channelCount()), sbr ? 2048 : 1024, config.codecString());
        }

        boolean same(Audio other) {
            return other != null && Arrays.equals(asc, other.asc);
        }
    }

    /** True for the video codecs a recording carries. */
    static boolean records(VideoCodec codec) {
        return codec == VideoCodec.AVC || codec == VideoCodec.HEVC;
    }

    /** True for the audio codecs a recording carries. */
    static boolean records(AudioCodec codec) {
        return codec == AudioCodec.AAC;
    }

    /** The tracks for the initialization segment. */
    List<TrackConfig> configs() {
        List<TrackConfig> configs = new ArrayList<>(2);
        if (video != null) {
            configs.add(new TrackConfig.Video(VIDEO_TRACK, VIDEO_TIMESCALE, video.hevc, video.config, video.width, video.height));
        }
        if (audio != null) {
            configs.add(new TrackConfig.Audio(AUDIO_TRACK, audio.sampleRate, audio.sampleRate, audio.channels, audio.asc));
        }
        return configs;
    }

    /** The codec strings, video first. */
    List<String> codecs() {
        List<String> codecs = new ArrayList<>(2);
        if (video != null) {
            codecs.add(video.codecString);
        }
        if (audio != null) {
            codecs.add(audio.codecString);
        }
        return codecs;
    }
}
