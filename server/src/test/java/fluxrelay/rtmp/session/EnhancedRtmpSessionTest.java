package fluxrelay.rtmp.session;

import static fluxrelay.rtmp.session.SessionFixture.KEY;
import static fluxrelay.rtmp.session.SessionFixture.call;
import static fluxrelay.rtmp.session.SessionFixture.command;
import static fluxrelay.rtmp.session.SessionFixture.connect;
import static fluxrelay.rtmp.session.SessionFixture.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.codec.Hex;
import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.amf.AmfStrictArray;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.chunk.RawMessage;
import fluxrelay.rtmp.command.EnhancedCapabilities;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.rtmp.message.MediaMessage;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Enhanced RTMP v2 at the session: the connect capability exchange and a multitrack publisher's tracks. */
class EnhancedRtmpSessionTest {

    private final SessionFixture fixture = new SessionFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void anEnhancedClientLearnsTheServerCapabilitiesAtConnect() {
        EmbeddedChannel channel = fixture.connection();
        // as OBS 31 sends it: a v1 fourCcList, v2 info maps and capsEx Multitrack
        channel.writeInbound(command(0, "connect", 1, AmfObject.of("app", "live", "type", "nonprivate",
                "fourCcList", AmfStrictArray.of("av01", "vp09", "hvc1"), "videoFourCcInfoMap", AmfObject.of("*", 4),
                "capsEx", 2, "tcUrl", "rtmp://127.0.0.1/live")));
        CommandMessage result = assertInstanceOf(CommandMessage.class, drain(channel).get(3));
        AmfObject properties = (AmfObject) result.commandObject();
        assertEquals("FMS/3,0,1,123", properties.getString("fmsVer"));
        assertEquals(EnhancedCapabilities.MULTITRACK | EnhancedCapabilities.MOD_EX, properties.getNumber("capsEx"));
        AmfObject video = assertInstanceOf(AmfObject.class, properties.get("videoFourCcInfoMap"));
        assertEquals(List.of("av01", "avc1", "hvc1", "vp09"), List.copyOf(video.entries().keySet()));
        assertEquals(EnhancedCapabilities.CAN_FORWARD, video.getNumber("hvc1"));
        AmfObject audio = assertInstanceOf(AmfObject.class, properties.get("audioFourCcInfoMap"));
        assertEquals(EnhancedCapabilities.CAN_FORWARD, audio.getNumber("mp4a"));
        channel.finishAndReleaseAll();
    }

    @Test
    void aLegacyClientGetsTheConnectReplyOfBefore() {
        EmbeddedChannel channel = fixture.connection();
        channel.writeInbound(connect("live"));
        CommandMessage result = assertInstanceOf(CommandMessage.class, drain(channel).get(3));
        AmfObject properties = (AmfObject) result.commandObject();
        assertNull(properties.get("capsEx"));
        assertEquals(List.of("fmsVer", "capabilities", "mode"), List.copyOf(properties.entries().keySet()));
        channel.finishAndReleaseAll();
    }

    @Test
    void viewersGetTrackZeroOfAMultitrackPublisherAsSingleTrackTags() {
        EmbeddedChannel viewer = fixture.connection();
        viewer.writeInbound(connect("live"), call("createStream", 2));
        drain(viewer);
        viewer.writeInbound(command(1, "play", 0, AmfNull.INSTANCE, new AmfString("demo")));
        drain(viewer).forEach(ReferenceCountUtil::release);

        EmbeddedChannel publisher = fixture.connection();
        publisher.writeInbound(connect("live"), call("createStream", 2),
                command(1, "publish", 3, AmfNull.INSTANCE, new AmfString(KEY), new AmfString("live")));
        drain(publisher);
        // ManyTracks SequenceStart 'avc1': track 0 and track 1 decoder configurations
        publisher.writeInbound(new MediaMessage(9, 0, 1, Hex.buf("96 10 61766331 00 000004 0164001f 01 000004 0142c00b")));
        // ManyTracks CodedFrames: CompositionTime and a NAL unit per track
        publisher.writeInbound(new MediaMessage(9, 0, 1,
                Hex.buf("96 11 61766331 00 000008 000000 0000000165 01 000008 000000 0000000165")));
        // OneTrack CodedFramesX of track 1 alone, as FFmpeg 8.1 sends its second track: nothing for viewers
        publisher.writeInbound(new MediaMessage(9, 40, 1, Hex.buf("a6 03 61766331 01 0000000141")));
        // a single-track encoder's tag between them still goes through untouched
        publisher.writeInbound(new MediaMessage(9, 40, 1, Hex.buf("27 01 000000 0000000141")));

        List<Object> out = drain(viewer);
        List<String> media = out.stream().filter(RawMessage.class::isInstance).map(RawMessage.class::cast)
                .map(m -> m.typeId() + ":" + Hex.of(m.payload())).toList();
        assertEquals(List.of("9:170000000001640" + "01f", "9:17010000000000000165", "9:27010000000000000141"), media);
        assertTrue(publisher.isActive(), "the multitrack publisher stays connected");
        out.forEach(ReferenceCountUtil::release);
        publisher.finishAndReleaseAll();
        viewer.finishAndReleaseAll();
    }
}
