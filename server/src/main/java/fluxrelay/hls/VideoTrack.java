package fluxrelay.hls;

import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.codec.AvcDecoderConfig;
import fluxrelay.media.codec.CodecInfo;
import fluxrelay.media.codec.HevcDecoderConfig;
import fluxrelay.media.codec.VideoCodecInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A video track HLS can carry (H.264 or H.265), read from its sequence header.
 *
 * @param codec the codec
 * @param config the decoder configuration record as sent, to tell a changed configuration from a repeated one
 * @param nalLengthSize NAL unit length prefix size of the coded frames
 * @param parameterSets VPS, SPS and PPS NAL units in decoding order
 * @param info codec string, picture size and frame rate
 */
public record VideoTrack(VideoCodec codec, byte[] config, int nalLengthSize, List<byte[]> parameterSets, VideoCodecInfo info) {

    public VideoTrack {
        parameterSets = List.copyOf(parameterSets);
    }

    /** True for the codecs {@link #parse} accepts. */
    public static boolean supports(VideoCodec codec) {
        return codec == VideoCodec.AVC || codec == VideoCodec.HEVC;
    }

    /**
     * Reads a sequence header of a {@linkplain #supports supported} codec; the frame's indexes do not move.
     *
     * @throws fluxrelay.media.codec.CodecFormatException when the decoder configuration record is malformed
     */
    public static VideoTrack parse(VideoFrame header) {
        if (!supports(header.codec()) || !header.isSequenceHeader()) {
            throw new IllegalArgumentException("not an H.264/H.265 sequence header: " + header.codec() + " " + header.kind());
        }
        ByteBuf payload = header.payload();
        int start = payload.readerIndex() + header.dataOffset();
        int length = payload.writerIndex() - start;
        byte[] config = ByteBufUtil.getBytes(payload, start, length);
        VideoCodecInfo info = CodecInfo.fromSequenceHeader(header);
        List<byte[]> sets = new ArrayList<>();
        int lengthSize;
        if (header.codec() == VideoCodec.AVC) {
            AvcDecoderConfig avc = AvcDecoderConfig.parse(payload, start, length);
            sets.addAll(avc.sps());
            sets.addAll(avc.pps());
            lengthSize = avc.nalUnitLengthSize();
        } else {
            HevcDecoderConfig hevc = HevcDecoderConfig.parse(payload, start, length);
            sets.addAll(hevc.vps());
            sets.addAll(hevc.sps());
            sets.addAll(hevc.pps());
            lengthSize = hevc.nalUnitLengthSize();
        }
        return new VideoTrack(header.codec(), config, lengthSize, sets, info);
    }

    /** True when {@code other} has the same codec and decoder configuration (a repeated sequence header). */
    public boolean sameConfig(VideoTrack other) {
        return other != null && codec == other.codec && Arrays.equals(config, other.config);
    }
}
