package fluxrelay.rtmp.session;

import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.codec.CodecFormatException;
import fluxrelay.media.codec.CodecInfo;
import fluxrelay.media.codec.VideoCodecInfo;
import fluxrelay.rtmp.amf.Amf0Reader;
import fluxrelay.rtmp.amf.AmfException;
import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.amf.AmfMap;
import fluxrelay.rtmp.amf.AmfValue;
import fluxrelay.stream.IngestPolicy;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Watches a publish against the ingest policy: judges the picture format from the video sequence header
 * and reads the encoder's name from its metadata.
 */
final class IngestWatch {

    private final IngestPolicy policy;

    IngestWatch(IngestPolicy policy) {
        this.policy = policy;
    }

    /** The policy's objections to a video sequence header (empty when fine or unreadable). */
    List<String> videoHeader(VideoFrame header) {
        try {
            VideoCodecInfo info = CodecInfo.fromSequenceHeader(header);
            return policy.checkFormat(info.width(), info.height(), info.frameRate());
        } catch (CodecFormatException | IllegalArgumentException e) {
            return List.of();
        }
    }

    /** A warning when the measured video bitrate is outside the recommendation, else null. */
    String bitrate(double videoKbps) {
        return policy.checkBitrate(videoKbps);
    }

    /** The {@code encoder} value of {@code onMetaData}, or null. */
    static String encoderName(ScriptFrame metadata) {
        ByteBuf body = metadata.payload().duplicate();
        try {
            List<AmfValue> values = new Amf0Reader(AmfLimits.DEFAULT).readAll(body);
            if (values.size() > 1 && values.get(1) instanceof AmfMap map) {
                return map.getString("encoder");
            }
        } catch (AmfException e) {
            return null;
        }
        return null;
    }
}
