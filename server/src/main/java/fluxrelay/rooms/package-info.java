/**
 * Rooms and their stream name bindings, and the publish authorization built on them.
 *
 * <p>Protocol-neutral: no RTMP, no HTTP. May import only the JDK.
 */
package fluxrelay.rooms;
