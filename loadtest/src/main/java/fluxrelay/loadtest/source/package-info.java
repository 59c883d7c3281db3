/**
 * The replayed stream: an FLV file held in memory (FLV spec v10.1 E.4) and the real-time pacing of
 * its tags, looped with continuous timestamps. Uses the server's {@code fluxrelay.flv} reader.
 */
package fluxrelay.loadtest.source;
