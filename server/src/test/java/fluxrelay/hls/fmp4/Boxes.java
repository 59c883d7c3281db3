package fluxrelay.hls.fmp4;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A test-side box reader: walks a box tree so tests can find boxes by path and check their sizes nest. */
record Boxes(String type, int start, int size, List<Boxes> children) {

    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "edts", "mdia", "minf", "dinf", "stbl", "mvex",
            "moof", "traf");

    /** The top-level boxes of {@code buf}'s readable bytes; fails when sizes do not add up. */
    static List<Boxes> parse(ByteBuf buf) {
        return parse(buf, buf.readerIndex(), buf.writerIndex());
    }

    private static List<Boxes> parse(ByteBuf buf, int from, int to) {
        List<Boxes> boxes = new ArrayList<>();
        int at = from;
        while (at < to) {
            int size = buf.getInt(at);
            String type = buf.toString(at + 4, 4, StandardCharsets.ISO_8859_1);
            if (size < 8 || at + size > to) {
                throw new AssertionError("box " + type + " at " + at + " has size " + size + ", parent ends at " + to);
            }
            List<Boxes> children = CONTAINERS.contains(type) ? parse(buf, at + 8, at + size) : List.of();
            boxes.add(new Boxes(type, at, size, children));
            at += size;
        }
        return boxes;
    }

    /** The first box at a slash-separated path, e.g. {@code moov/trak/mdia/mdhd}. */
    static Boxes find(List<Boxes> boxes, String path) {
        String[] parts = path.split("/", 2);
        for (Boxes box : boxes) {
            if (box.type.equals(parts[0])) {
                return parts.length == 1 ? box : find(box.children, parts[1]);
            }
        }
        throw new AssertionError("no " + path + " in " + boxes.stream().map(Boxes::type).toList());
    }

    /** All boxes of a type among {@code boxes}. */
    static List<Boxes> all(List<Boxes> boxes, String type) {
        return boxes.stream().filter(b -> b.type.equals(type)).toList();
    }
}
