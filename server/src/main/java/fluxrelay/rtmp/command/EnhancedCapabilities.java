package fluxrelay.rtmp.command;

import fluxrelay.rtmp.amf.AmfMap;
import fluxrelay.rtmp.amf.AmfNumber;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.amf.AmfStrictArray;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.amf.AmfValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Enhanced RTMP capability properties of a {@code connect} command object and of its
 * {@code _result} (Enhanced RTMP v2, "Enhancing NetConnection connect Command"): {@code fourCcList}
 * (v1: codecs named only), {@code videoFourCcInfoMap} and {@code audioFourCcInfoMap} (FourCC, or
 * {@code *} for any, to a FourCcInfoMask) and {@code capsEx} (a CapsExMask).
 *
 * @param video FourCC to FourCcInfoMask for video; a v1 {@code fourCcList} entry counts as every flag
 * @param audio FourCC to FourCcInfoMask for audio
 * @param capsEx the CapsExMask, 0 when absent
 * @param announced true when the peer sent any of the properties, i.e. speaks Enhanced RTMP
 */
public record EnhancedCapabilities(Map<String, Integer> video, Map<String, Integer> audio, int capsEx, boolean announced) {

    /** FourCcInfoMask: can decode the codec. */
    public static final int CAN_DECODE = 0x01;
    /** FourCcInfoMask: can encode the codec. */
    public static final int CAN_ENCODE = 0x02;
    /** FourCcInfoMask: can forward the codec without decoding it. */
    public static final int CAN_FORWARD = 0x04;

    /** CapsExMask: reconnect request support. */
    public static final int RECONNECT = 0x01;
    /** CapsExMask: multitrack audio and video messages. */
    public static final int MULTITRACK = 0x02;
    /** CapsExMask: the ModEx packet type. */
    public static final int MOD_EX = 0x04;
    /** CapsExMask: nanosecond timestamp offsets (ModEx TimestampOffsetNano). */
    public static final int TIMESTAMP_NANO_OFFSET = 0x08;

    /** No Enhanced RTMP properties: a legacy peer. */
    public static final EnhancedCapabilities NONE = new EnhancedCapabilities(Map.of(), Map.of(), 0, false);

    /**
     * What this server does with Enhanced RTMP: it forwards the video and audio codecs it reads (H.264 and
     * HEVC are also packaged for HLS), reads past ModEx, and takes multitrack ingest (track 0 is the room's
     * program). It sends no reconnect requests and keeps timestamps in milliseconds.
     */
    public static final EnhancedCapabilities SERVER = new EnhancedCapabilities(
            forwarded("avc1", "hvc1", "av01", "vp09"),
            forwarded("mp4a", "Opus", ".mp3", "ac-3", "ec-3", "fLaC"),
            MULTITRACK | MOD_EX, true);

    public EnhancedCapabilities {
        video = Map.copyOf(video);
        audio = Map.copyOf(audio);
    }

    /** Reads the properties from a {@code connect} command object; values of the wrong type are ignored. */
    public static EnhancedCapabilities from(AmfValue commandObject) {
        if (!(commandObject instanceof AmfMap object)) {
            return NONE;
        }
        Map<String, Integer> video = new LinkedHashMap<>();
        if (object.get("fourCcList") instanceof AmfStrictArray list) {
            for (AmfValue item : list.items()) {
                if (item instanceof AmfString name) {
                    video.put(name.value(), CAN_DECODE | CAN_ENCODE | CAN_FORWARD);
                }
            }
        }
        video.putAll(masks(object.get("videoFourCcInfoMap")));
        Map<String, Integer> audio = masks(object.get("audioFourCcInfoMap"));
        double caps = object.getNumber("capsEx");
        boolean announced = object.get("fourCcList") != null || object.get("videoFourCcInfoMap") != null
                || object.get("audioFourCcInfoMap") != null || object.get("capsEx") != null;
        return new EnhancedCapabilities(video, audio, Double.isNaN(caps) ? 0 : (int) caps, announced);
    }

    /** True when the CapsExMask has {@code flag}. */
    public boolean has(int flag) {
        return (capsEx & flag) != 0;
    }

    /** Adds the properties to a {@code _result} command object. */
    public AmfObject addTo(AmfObject properties) {
        return properties.with("videoFourCcInfoMap", new AmfObject(numbers(video)))
                .with("audioFourCcInfoMap", new AmfObject(numbers(audio)))
                .with("capsEx", capsEx);
    }

    private static Map<String, Integer> masks(AmfValue value) {
        Map<String, Integer> masks = new LinkedHashMap<>();
        if (value instanceof AmfMap map) {
            map.entries().forEach((fourCc, mask) -> {
                if (mask instanceof AmfNumber number) {
                    masks.put(fourCc, (int) number.value());
                }
            });
        }
        return masks;
    }

    private static Map<String, AmfValue> numbers(Map<String, Integer> masks) {
        Map<String, AmfValue> values = new LinkedHashMap<>();
        masks.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> values.put(e.getKey(), new AmfNumber(e.getValue())));
        return values;
    }

    private static Map<String, Integer> forwarded(String... fourCcs) {
        Map<String, Integer> masks = new LinkedHashMap<>();
        for (String fourCc : fourCcs) {
            masks.put(fourCc, CAN_FORWARD);
        }
        return masks;
    }
}
