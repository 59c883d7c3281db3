/**
 * Coverage-guided fuzz tests (Jazzer's JUnit integration, {@code @FuzzTest}) for every parser that reads
 * bytes from the network: the RTMP handshake (spec 5.2), the inbound chunk and message pipeline (5.3, 5.4,
 * 7.1) alone and with the session, AMF0 and AMF3, FLV tag bodies (FLV E.4, Enhanced RTMP), AVC/HEVC
 * decoder configuration records and SPS (ISO/IEC 14496-15, H.264 7.3.2.1, H.265 7.3.2.2),
 * AudioSpecificConfig (14496-3 1.6.2.1), HTTP request-target checks and pipeline, and the admin API's JSON.
 * One target per class, so one {@code mvn} run can fuzz them all (a JVM per class).
 *
 * <p>Each target states its property: which exception types may come out, that nothing leaks (each input
 * allocates through a {@link fluxrelay.fuzz.TrackingAllocator} and checks every buffer is released), that
 * nothing unexpected is logged ({@link fluxrelay.fuzz.FuzzScope}), plus target-specific invariants (bytes
 * after the handshake pass on unchanged, AMF round trips, no unsafe path reaches a route, no 5xx, no two
 * rooms share a stream key).
 *
 * <p>Inputs live in {@code src/test/resources/fluxrelay/fuzz/<Class>Inputs/<method>/}: seeds cut from real
 * captures by {@code make_seeds.py} and {@code capture_clients.py} beside them (see the README there), and
 * {@code crash-*} files Jazzer stored for findings. Plain {@code mvn verify} (regression mode) runs each
 * target once per stored input, in well under a second. {@code server/fuzz.sh [SECONDS] [Class ...]}
 * fuzzes ({@code JAZZER_FUZZ=1}) each target for SECONDS (default 30; CI runs 20). A finding becomes a
 * stored input and a plain regression test in the package of the code that was fixed.
 */
package fluxrelay.fuzz;
