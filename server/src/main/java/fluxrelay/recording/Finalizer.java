package fluxrelay.recording;

import fluxrelay.hls.fmp4.ProgressiveMovie;
import fluxrelay.hls.fmp4.SampleTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a fragmented MP4 recording into a fast-start MP4: reads its {@code moov} (the tracks' sample descriptions)
 * and every complete movie fragment ({@code moof} and the {@code mdat} after it; a fragment cut short by a crash
 * ends the reading), then writes {@code ftyp}, a {@code moov} with the full sample tables, and one {@code mdat}
 * with the media copied in the fragments' order (ISO/IEC 14496-12 8.8.4 to 8.8.8 read; 8.5 to 8.7 written).
 *
 * <p>A track whose decode times jump forward between fragments (media missing there) gets the gap added to the
 * duration of its sample before the jump, so the tracks stay in step in the progressive file. A track whose first
 * sample is presented later than the first picture (audio starting after the first keyframe) starts with an empty
 * edit of that length; audio starting before it has that lead left out by its edit; so the tracks stay in sync from
 * the first frame.
 */
final class Finalizer {

    /** Largest {@code moov} or {@code moof} read into memory: a recording's own are far smaller. */
    private static final long MAX_HEADER_BOX = 64L << 20;

    /**
     * What finalizing made.
     *
     * @param durationSeconds the longest track's duration
     * @param size bytes of the MP4
     * @param samples samples per track id
     */
    record Result(double durationSeconds, long size, Map<Integer, Integer> samples) {
    }

    /** A track of the fragment file and its growing sample table. */
    private static final class Track {
        final int id;
        int timescale;
        boolean video;
        int width;
        int height;
        byte[] stsd;
        final SampleTable table = new SampleTable();
        long nextDecodeTime = -1;
        long firstDecodeTime = -1;

        Track(int id) {
            this.id = id;
        }
    }

    /** One track run of a fragment: where its bytes lie in the fragment file. */
    private record Run(long fileOffset, long length) {
    }

    private Finalizer() {
    }

    /**
     * Writes {@code target} from {@code fragments} (through a temporary file moved into place, so a crash here leaves
     * no half MP4); the fragment file is left for the caller to remove.
     *
     * @throws IOException when the file cannot be read or written, has no {@code moov} or no complete fragment
     */
    static Result run(Path fragments, Path target, ByteBufAllocator allocator) throws IOException {
        Map<Integer, Track> tracks = new LinkedHashMap<>();
        List<Run> runs = new ArrayList<>();
        long mediaBytes = 0;
        try (FileChannel in = FileChannel.open(fragments, StandardOpenOption.READ)) {
            long size = in.size();
            long position = 0;
            boolean moov = false;
            while (position + 8 <= size) {
                ByteBuffer header = read(in, position, 16 <= size - position ? 16 : 8);
                long boxSize = header.getInt(0) & 0xFFFFFFFFL;
                String type = new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1);
                int headerLength = 8;
                if (boxSize == 1 && header.capacity() >= 16) {
                    boxSize = header.getLong(8);
                    headerLength = 16;
                } else if (boxSize == 0) {
                    boxSize = size - position;
                }
                if (boxSize < headerLength || position + boxSize > size) {
                    break; // cut short: the end of what a crash left
                }
                if (type.equals("moov")) {
                    readMoov(body(in, position + headerLength, boxSize - headerLength), tracks);
                    moov = true;
                } else if (type.equals("moof") && moov) {
                    long mdatAt = position + boxSize;
                    if (mdatAt + 8 > size) {
                        break;
                    }
                    ByteBuffer mdat = read(in, mdatAt, 8);
                    long mdatSize = mdat.getInt(0) & 0xFFFFFFFFL;
                    if (!new String(mdat.array(), 4, 4, StandardCharsets.ISO_8859_1).equals("mdat") || mdatSize < 8
                            || mdatAt + mdatSize > size) {
                        break;
                    }
                    ByteBuf moof = body(in, position + headerLength, boxSize - headerLength);
                    for (Run run : readMoof(moof, position, tracks, mediaBytes)) {
                        if (run.fileOffset < mdatAt + 8 || run.fileOffset + run.length > mdatAt + mdatSize) {
                            throw new IOException("a track run points outside its mdat");
                        }
                        runs.add(run);
                        mediaBytes += run.length;
                    }
                    position = mdatAt + mdatSize;
                    continue;
                }
                position += boxSize;
            }
            if (!moov) {
                throw new IOException("no moov: not a recording's fragment file");
            }
            List<ProgressiveMovie.Track> movie = new ArrayList<>();
            Map<Integer, Integer> samples = new LinkedHashMap<>();
            double duration = 0;
            // The movie starts with the first picture (else the earliest sample): a track starting later waits with an
            // empty edit, one starting earlier (audio just before the first picture) has its lead left out by its edit.
            double zero = Double.MAX_VALUE;
            for (Track track : tracks.values()) {
                if (track.table.sampleCount() > 0 && track.video) {
                    zero = Math.min(zero, firstPresented(track));
                }
            }
            for (Track track : tracks.values()) {
                if (track.table.sampleCount() > 0 && zero == Double.MAX_VALUE) {
                    zero = Math.min(zero, firstPresented(track));
                }
            }
            for (Track track : tracks.values()) {
                if (track.table.sampleCount() > 0) {
                    long offset = Math.round((firstPresented(track) - zero) * track.timescale);
                    long delay = Math.max(0, offset);
                    long presentationStart = Math.max(0, track.table.compositionOffset(0)) + Math.max(0, -offset);
                    ProgressiveMovie.Track t = new ProgressiveMovie.Track(track.id, track.timescale, track.video, track.width,
                            track.height, track.stsd, track.table, presentationStart, delay);
                    movie.add(t);
                    samples.put(track.id, track.table.sampleCount());
                    duration = Math.max(duration, t.seconds() + delay / (double) track.timescale);
                }
            }
            if (movie.isEmpty()) {
                throw new IOException("no complete fragment: nothing was recorded");
            }
            boolean wideMdat = mediaBytes + 8 > 0xFFFFFFFFL;
            byte[] head = ProgressiveMovie.header(movie, wideMdat ? 16 : 8, allocator);
            Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
            try {
                copy(in, temporary, head, wideMdat, mediaBytes, runs);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temporary); // a half copy on a full disk would keep it full
                throw e;
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Result(duration, Files.size(target), samples);
        }
    }

    /** When the track's first sample is presented, seconds on the recording's timeline. */
    private static double firstPresented(Track track) {
        return (Math.max(0, track.firstDecodeTime) + Math.max(0, track.table.compositionOffset(0))) / (double) track.timescale;
    }

    /** Writes the fast-start MP4: the index, then the media runs copied from the fragment file in order. */
    private static void copy(FileChannel in, Path temporary, byte[] head, boolean wideMdat, long mediaBytes, List<Run> runs)
            throws IOException {
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(out, ByteBuffer.wrap(head));
            ByteBuffer mdat = ByteBuffer.allocate(wideMdat ? 16 : 8);
            if (wideMdat) {
                mdat.putInt(1).put("mdat".getBytes(StandardCharsets.ISO_8859_1)).putLong(mediaBytes + 16);
            } else {
                mdat.putInt((int) (mediaBytes + 8)).put("mdat".getBytes(StandardCharsets.ISO_8859_1));
            }
            writeFully(out, mdat.flip());
            for (Run run : runs) {
                long copied = 0;
                while (copied < run.length) {
                    long n = in.transferTo(run.fileOffset + copied, run.length - copied, out);
                    if (n <= 0) {
                        throw new IOException("fragment file ended while copying its media");
                    }
                    copied += n;
                }
            }
            out.force(true);
        }
    }

    /** Reads the tracks of the initialization segment's moov: ids, timescales, handler, picture size, stsd. */
    private static void readMoov(ByteBuf moov, Map<Integer, Track> tracks) throws IOException {
        try {
            for (ByteBuf trak : children(moov, "trak")) {
                ByteBuf tkhd = child(trak, "tkhd");
                int version = tkhd.getUnsignedByte(tkhd.readerIndex());
                int idAt = tkhd.readerIndex() + 4 + (version == 1 ? 16 : 8);
                Track track = new Track(tkhd.getInt(idAt));
                int sizeAt = tkhd.writerIndex() - 8;
                track.width = tkhd.getInt(sizeAt) >>> 16;
                track.height = tkhd.getInt(sizeAt + 4) >>> 16;
                ByteBuf mdia = child(trak, "mdia");
                ByteBuf mdhd = child(mdia, "mdhd");
                int mdhdVersion = mdhd.getUnsignedByte(mdhd.readerIndex());
                track.timescale = mdhd.getInt(mdhd.readerIndex() + 4 + (mdhdVersion == 1 ? 16 : 8));
                ByteBuf hdlr = child(mdia, "hdlr");
                track.video = hdlr.toString(hdlr.readerIndex() + 8, 4, StandardCharsets.ISO_8859_1).equals("vide");
                track.stsd = stsdBox(child(child(child(mdia, "minf"), "stbl"), "stsd"));
                tracks.put(track.id, track);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new IOException("malformed moov: " + e.getMessage(), e);
        }
    }

    /** The stsd box again with its header, from its body. */
    static byte[] stsdBox(ByteBuf body) {
        ByteBuf box = Unpooled.buffer(body.readableBytes() + 8);
        box.writeInt(body.readableBytes() + 8);
        box.writeBytes("stsd".getBytes(StandardCharsets.ISO_8859_1));
        box.writeBytes(body, body.readerIndex(), body.readableBytes());
        return ByteBufUtil.getBytes(box);
    }

    /**
     * Reads a moof's track runs into the tracks' tables.
     *
     * @param moofAt file offset of the moof
     * @param outputOffset where its first run's bytes go in the finalized mdat
     */
    private static List<Run> readMoof(ByteBuf moof, long moofAt, Map<Integer, Track> tracks, long outputOffset)
            throws IOException {
        List<Run> runs = new ArrayList<>(2);
        try {
            for (ByteBuf traf : children(moof, "traf")) {
                ByteBuf tfhd = child(traf, "tfhd");
                int tfhdFlags = tfhd.getInt(tfhd.readerIndex()) & 0xFFFFFF;
                Track track = tracks.get(tfhd.getInt(tfhd.readerIndex() + 4));
                if (track == null) {
                    throw new IOException("a fragment of a track the moov does not declare");
                }
                int at = tfhd.readerIndex() + 8;
                long base = moofAt;
                if ((tfhdFlags & 0x01) != 0) {
                    base = tfhd.getLong(at);
                    at += 8;
                }
                if ((tfhdFlags & 0x02) != 0) {
                    at += 4;
                }
                int defaultDuration = (tfhdFlags & 0x08) != 0 ? tfhd.getInt(at) : 0;
                at += (tfhdFlags & 0x08) != 0 ? 4 : 0;
                int defaultSize = (tfhdFlags & 0x10) != 0 ? tfhd.getInt(at) : 0;
                at += (tfhdFlags & 0x10) != 0 ? 4 : 0;
                int defaultFlags = (tfhdFlags & 0x20) != 0 ? tfhd.getInt(at) : 0;
                ByteBuf tfdt = child(traf, "tfdt");
                long decodeTime = tfdt.getUnsignedByte(tfdt.readerIndex()) == 1 ? tfdt.getLong(tfdt.readerIndex() + 4)
                        : tfdt.getUnsignedInt(tfdt.readerIndex() + 4);
                if (track.firstDecodeTime < 0) {
                    track.firstDecodeTime = decodeTime;
                }
                if (track.nextDecodeTime >= 0 && decodeTime > track.nextDecodeTime) {
                    track.table.extendLast(decodeTime - track.nextDecodeTime);
                }
                long time = decodeTime;
                for (ByteBuf trun : children(traf, "trun")) {
                    int flags = trun.getInt(trun.readerIndex()) & 0xFFFFFF;
                    int count = trun.getInt(trun.readerIndex() + 4);
                    int p = trun.readerIndex() + 8;
                    long dataAt = base;
                    if ((flags & 0x001) != 0) {
                        dataAt = base + trun.getInt(p);
                        p += 4;
                    }
                    int firstFlags = -1;
                    if ((flags & 0x004) != 0) {
                        firstFlags = trun.getInt(p);
                        p += 4;
                    }
                    if (count <= 0) {
                        continue;
                    }
                    long length = 0;
                    track.table.beginChunk(outputOffset);
                    for (int i = 0; i < count; i++) {
                        int duration = (flags & 0x100) != 0 ? trun.getInt(p) : defaultDuration;
                        p += (flags & 0x100) != 0 ? 4 : 0;
                        int size = (flags & 0x200) != 0 ? trun.getInt(p) : defaultSize;
                        p += (flags & 0x200) != 0 ? 4 : 0;
                        int sampleFlags = (flags & 0x400) != 0 ? trun.getInt(p) : i == 0 && firstFlags >= 0 ? firstFlags : defaultFlags;
                        p += (flags & 0x400) != 0 ? 4 : 0;
                        int offset = (flags & 0x800) != 0 ? trun.getInt(p) : 0;
                        p += (flags & 0x800) != 0 ? 4 : 0;
                        track.table.add(duration, size, (sampleFlags & 0x00010000) == 0, offset);
                        length += size;
                        time += duration;
                    }
                    runs.add(new Run(dataAt, length));
                    outputOffset += length;
                }
                track.nextDecodeTime = time;
            }
        } catch (IndexOutOfBoundsException e) {
            throw new IOException("malformed moof: " + e.getMessage(), e);
        }
        return runs;
    }

    /** The bodies of a container's direct children of {@code type}. */
    static List<ByteBuf> children(ByteBuf container, String type) {
        List<ByteBuf> found = new ArrayList<>();
        int at = container.readerIndex();
        int end = container.writerIndex();
        while (at + 8 <= end) {
            long size = container.getUnsignedInt(at);
            if (size < 8 || at + size > end) {
                throw new IndexOutOfBoundsException("box at " + at + " overruns its parent");
            }
            if (container.toString(at + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
                found.add(container.slice(at + 8, (int) size - 8));
            }
            at += (int) size;
        }
        return found;
    }

    static ByteBuf child(ByteBuf container, String type) {
        List<ByteBuf> found = children(container, type);
        if (found.isEmpty()) {
            throw new IndexOutOfBoundsException("no " + type + " box");
        }
        return found.get(0);
    }

    private static ByteBuf body(FileChannel in, long at, long length) throws IOException {
        if (length > MAX_HEADER_BOX) {
            throw new IOException("box of " + length + " bytes at " + at + " is too large to be a recording's");
        }
        return Unpooled.wrappedBuffer(read(in, at, (int) length));
    }

    static ByteBuffer read(FileChannel in, long at, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (in.read(buffer, at + buffer.position()) < 0) {
                throw new IOException("unexpected end of file at " + (at + buffer.position()));
            }
        }
        return buffer.flip();
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
