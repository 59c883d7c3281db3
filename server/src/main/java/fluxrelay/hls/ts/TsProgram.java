package fluxrelay.hls.ts;

import java.util.List;

/**
 * The single program of an HLS transport stream: the PMT's PID, which stream carries the PCR, the
 * elementary streams, and the version number that changes whenever the program does.
 *
 * @param programNumber program_number (1 is customary)
 * @param pmtPid the PID of the program map section
 * @param pcrPid the PID whose adaptation fields carry the PCR (the video stream when there is one)
 * @param version version_number of PAT and PMT, 0..31
 * @param streams the elementary streams, in PMT order
 */
public record TsProgram(int programNumber, int pmtPid, int pcrPid, int version, List<ElementaryStream> streams) {

    public TsProgram {
        streams = List.copyOf(streams);
        if (programNumber < 1 || programNumber > 0xFFFF) {
            throw new IllegalArgumentException("program_number " + programNumber);
        }
        if (pmtPid < 0x10 || pmtPid > 0x1FFE || version < 0 || version > 31) {
            throw new IllegalArgumentException("PMT PID " + pmtPid + ", version " + version);
        }
        if (streams.isEmpty() || streams.stream().noneMatch(s -> s.pid() == pcrPid)) {
            throw new IllegalArgumentException("the PCR PID must be one of the elementary streams");
        }
    }
}
