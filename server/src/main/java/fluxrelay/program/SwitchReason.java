package fluxrelay.program;

/** Why the program went to another input: the label the webhook, metrics and admin API show. */
public enum SwitchReason {
    /** The first input on air after none was (not counted as a switch). */
    START("start"),
    /** The input on air stopped delivering media or disconnected. */
    FAILOVER("failover"),
    /** The main input came back and stayed healthy for {@code failback-after}. */
    FAILBACK("failback"),
    /** An operator chose the input. */
    MANUAL("manual");

    private final String label;

    SwitchReason(String label) {
        this.label = label;
    }

    /** The lower-case name used in JSON, webhooks and metric labels. */
    public String label() {
        return label;
    }
}
