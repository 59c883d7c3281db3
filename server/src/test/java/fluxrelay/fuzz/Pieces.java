package fluxrelay.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Where to cut one fuzz input into the reads a socket would deliver: whole in one read a quarter of
 * the time, otherwise in pieces of 1 to 16 or 1 to 1024 bytes. The cuts derive from the input's own
 * hash, so a stored finding replays with the same reads.
 */
final class Pieces {

    private Pieces() {
    }

    /** Offsets {@code [start, end)} of each read, in order, covering {@code input} exactly. */
    static List<int[]> of(byte[] input) {
        List<int[]> pieces = new ArrayList<>();
        Random random = new Random(Arrays.hashCode(input));
        if (random.nextInt(4) == 0) {
            pieces.add(new int[] {0, input.length});
            return pieces;
        }
        int bound = random.nextBoolean() ? 16 : 1024;
        for (int start = 0; start < input.length; ) {
            int end = Math.min(input.length, start + 1 + random.nextInt(bound));
            pieces.add(new int[] {start, end});
            start = end;
        }
        return pieces;
    }
}
