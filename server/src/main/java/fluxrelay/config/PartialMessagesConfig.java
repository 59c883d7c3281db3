package fluxrelay.config;

/**
 * Memory that RTMP peers may hold in partly received messages ({@code relay.rtmp.partial-messages}): a
 * message is buffered until its last chunk arrives, and its whole declared length counts from its first.
 *
 * @param perConnectionBeforePublish bytes one connection may hold before a publish of its own was admitted
 * @param perConnectionPublishing bytes one connection may hold once its publish was admitted
 * @param serverShareOfDirectMemory share of the JVM's direct memory limit all connections together may hold
 * @param beforePublishShare share of that server-wide budget that connections which have not published may hold
 */
public record PartialMessagesConfig(long perConnectionBeforePublish, long perConnectionPublishing,
                                    double serverShareOfDirectMemory, double beforePublishShare) {
}
