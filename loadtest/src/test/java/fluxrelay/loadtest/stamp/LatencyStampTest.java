package fluxrelay.loadtest.stamp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class LatencyStampTest {

    /** AVC NALU tag: keyframe + codec 7, packet type 1, composition time 0, then one IDR slice NAL (type 5). */
    private static ByteBuf keyframe(int... extraNalTypesFirst) {
        ByteBuf tag = Unpooled.buffer();
        tag.writeBytes(new byte[] {0x17, 0x01, 0x00, 0x00, 0x00});
        for (int type : extraNalTypesFirst) {
            tag.writeInt(2).writeByte(type).writeByte(0xF0);
        }
        tag.writeInt(4).writeBytes(new byte[] {0x65, (byte) 0x88, 0x11, 0x22});
        return tag;
    }

    @Test
    void stampGoesBeforeTheFirstSliceAndReadsBack() {
        ByteBuf tag = keyframe();
        ByteBuf stamped = LatencyStamp.insert(ByteBufAllocator.DEFAULT, tag, 4, 1_732_000_000_123_456L);
        try {
            assertEquals(tag.readableBytes() + 4 + LatencyStamp.NAL_LENGTH, stamped.readableBytes());
            // Header unchanged, then length 35 and the SEI NAL header, payload type 5, size 32.
            assertEquals(0x17, stamped.getUnsignedByte(0));
            assertEquals(LatencyStamp.NAL_LENGTH, stamped.getInt(5));
            assertEquals(0x06, stamped.getUnsignedByte(9));
            assertEquals(5, stamped.getUnsignedByte(10));
            assertEquals(32, stamped.getUnsignedByte(11));
            assertEquals(0x80, stamped.getUnsignedByte(9 + LatencyStamp.NAL_LENGTH - 1));
            // The original slice follows intact.
            byte[] slice = new byte[8];
            stamped.getBytes(9 + LatencyStamp.NAL_LENGTH, slice);
            assertArrayEquals(new byte[] {0, 0, 0, 4, 0x65, (byte) 0x88, 0x11, 0x22}, slice);
            assertEquals(1_732_000_000_123_456L, LatencyStamp.read(stamped, 0, stamped.writerIndex(), 4));
        } finally {
            tag.release();
            stamped.release();
        }
    }

    @Test
    void stampFollowsAnAccessUnitDelimiter() {
        ByteBuf tag = keyframe(9);
        ByteBuf stamped = LatencyStamp.insert(ByteBufAllocator.DEFAULT, tag, 4, 42);
        try {
            assertEquals(9, stamped.getUnsignedByte(9) & 0x1F, "AUD stays first");
            assertEquals(6, stamped.getUnsignedByte(9 + 6) & 0x1F, "SEI right after it");
            assertEquals(42, LatencyStamp.read(stamped, 0, stamped.writerIndex(), 4));
        } finally {
            tag.release();
            stamped.release();
        }
    }

    @Test
    void payloadHasNoStartCodeLikeBytes() {
        ByteBuf tag = keyframe();
        ByteBuf stamped = LatencyStamp.insert(ByteBufAllocator.DEFAULT, tag, 4, 0);
        try {
            for (int i = 10; i + 2 < 9 + LatencyStamp.NAL_LENGTH; i++) {
                assertFalse(stamped.getByte(i) == 0 && stamped.getByte(i + 1) == 0, "00 00 at " + i);
            }
        } finally {
            tag.release();
            stamped.release();
        }
    }

    @Test
    void twoByteLengthPrefixesAndAPrefixOfTheTagWork() {
        ByteBuf tag = Unpooled.buffer().writeBytes(new byte[] {0x27, 0x01, 0, 0, 0}).writeShort(3).writeBytes(new byte[] {0x41, 1, 2});
        ByteBuf stamped = LatencyStamp.insert(ByteBufAllocator.DEFAULT, tag, 2, 987_654_321L);
        try {
            int prefix = 5 + 2 + LatencyStamp.NAL_LENGTH;
            assertEquals(987_654_321L, LatencyStamp.read(stamped, 0, prefix, 2));
            assertEquals(LatencyStamp.NONE, LatencyStamp.read(stamped, 0, prefix - 1, 2), "cut stamp is not read");
        } finally {
            tag.release();
            stamped.release();
        }
    }

    @Test
    void framesWithoutStampSequenceHeadersAndOtherCodecsReadNone() {
        ByteBuf plain = keyframe(6);
        ByteBuf header = Unpooled.wrappedBuffer(new byte[] {0x17, 0x00, 0, 0, 0, 1, 0x64, 0, 0x1F, (byte) 0xFF});
        ByteBuf hevc = Unpooled.wrappedBuffer(new byte[] {0x1C, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x26});
        try {
            assertEquals(LatencyStamp.NONE, LatencyStamp.read(plain, 0, plain.writerIndex(), 4), "foreign SEI");
            assertEquals(LatencyStamp.NONE, LatencyStamp.read(header, 0, header.writerIndex(), 4));
            assertEquals(LatencyStamp.NONE, LatencyStamp.read(hevc, 0, hevc.writerIndex(), 4));
            assertFalse(LatencyStamp.isStampable(header));
            assertTrue(LatencyStamp.isStampable(plain));
            assertEquals(4, LatencyStamp.nalLengthSize(header, 0, header.writerIndex()));
        } finally {
            plain.release();
            header.release();
            hevc.release();
        }
    }

    @Test
    void clockIsMonotonicAndNearTheWallClock() {
        long a = LoadClock.nowMicros();
        long b = LoadClock.nowMicros();
        assertTrue(b >= a);
        assertTrue(Math.abs(a / 1000 - System.currentTimeMillis()) < 1000);
    }
}
