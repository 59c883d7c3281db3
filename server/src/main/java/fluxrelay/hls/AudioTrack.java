package fluxrelay.hls;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.codec.Adts;
import fluxrelay.media.codec.AudioCodecInfo;
import fluxrelay.media.codec.AudioSpecificConfig;
import fluxrelay.media.codec.CodecInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/**
 * An audio track HLS can carry in MPEG-TS: AAC (from its AudioSpecificConfig) or MP3 (from the FLV tag header).
 *
 * @param codec {@link AudioCodec#AAC} or {@link AudioCodec#MP3}
 * @param config the AudioSpecificConfig for AAC, null for MP3
 * @param info codec string, sampling rate and channels
 */
public record AudioTrack(AudioCodec codec, AudioSpecificConfig config, AudioCodecInfo info) {

    /** True for the codecs {@link #parse} accepts. */
    public static boolean supports(AudioCodec codec) {
        return codec == AudioCodec.AAC || codec == AudioCodec.MP3;
    }

    /**
     * Reads the AAC sequence header, or the tag header of any MP3 frame; the frame's indexes do not move.
     *
     * @throws fluxrelay.media.codec.CodecFormatException when the AudioSpecificConfig is malformed or ADTS
     *     cannot express it (MPEG-TS carries AAC in ADTS frames)
     */
    public static AudioTrack parse(AudioFrame frame) {
        if (frame.codec() == AudioCodec.AAC && frame.sequenceHeader()) {
            ByteBuf payload = frame.payload();
            int start = payload.readerIndex() + frame.dataOffset();
            AudioSpecificConfig asc = AudioSpecificConfig.parse(payload, start, payload.writerIndex() - start);
            Adts.writeHeader(Unpooled.buffer(Adts.HEADER_LENGTH), asc, 0); // throws when ADTS cannot carry it
            return new AudioTrack(AudioCodec.AAC, asc, CodecInfo.fromSequenceHeader(frame));
        }
        if (frame.codec() == AudioCodec.MP3) {
            return new AudioTrack(AudioCodec.MP3, null, CodecInfo.fromSequenceHeader(frame));
        }
        throw new IllegalArgumentException("not an AAC sequence header or MP3 frame: " + frame.codec());
    }

    /** True when {@code other} has the same codec and configuration. */
    public boolean sameConfig(AudioTrack other) {
        if (other == null || codec != other.codec) {
            return false;
        }
        return codec == AudioCodec.MP3 ? Objects.equals(info, other.info)
                : java.util.Arrays.equals(config.raw(), other.config.raw());
    }

    /** Duration of one coded frame in ms: 1024 samples for AAC (2048 with SBR), 1152 for MP3. */
    public double frameDurationMs() {
        int rate = Math.max(1, info.sampleRate());
        int samples = codec == AudioCodec.MP3 ? 1152 : 1024 * (config.extensionSampleRate() > 0 ? 2 : 1);
        return samples * 1000.0 / rate;
    }
}
