/**
 * Simulated RTMP clients on the server's own codecs: URL parsing, the client pipeline (handshake, chunk
 * stream, message encoder; RTMP spec 5.2-5.4), the commands a player or encoder sends (7.2), and the
 * player that counts frames, stalls and relay latency. Never imports session or hub classes.
 */
package fluxrelay.loadtest.rtmp;
