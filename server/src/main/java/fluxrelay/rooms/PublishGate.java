package fluxrelay.rooms;

import java.util.concurrent.CompletionStage;

/**
 * Decides on a publish, possibly asynchronously (a platform webhook). The session continues on its own
 * thread when the decision completes; a failed stage counts as a refusal.
 */
@FunctionalInterface
public interface PublishGate {

    CompletionStage<PublishDecision> decide(PublishRequest request);
}
