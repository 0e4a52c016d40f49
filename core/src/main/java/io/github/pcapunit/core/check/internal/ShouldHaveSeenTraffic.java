package io.github.pcapunit.core.check.internal;

import java.util.List;

/**
 * Failure kind: an expectation about some traffic met no such traffic at all. Never a vacuous
 * pass: the caller must allow no traffic explicitly.
 */
public final class ShouldHaveSeenTraffic {

    /** How a caller allows the no-traffic outcome, in both front ends. */
    public static final String HOW_TO_ALLOW = "If no traffic is a valid outcome here, allow it explicitly:"
            + " allowingNoTraffic() in assertions, <allowNoTraffic>true</allowNoTraffic> in capture:verify.";

    private ShouldHaveSeenTraffic() {
    }

    /**
     * Message for an expectation that saw no traffic.
     *
     * @param to the expectation, starting with "to " ("to have no dropped packets to port 1433")
     * @param target what no traffic was seen to ("port 1433"), or {@code null} for any traffic
     */
    public static String shouldHaveSeenTraffic(MessageContext context, String to, String target) {
        String but = target == null
                ? "but no traffic was seen at all: if the code did send packets, they were dropped before"
                        + " reaching a captured interface (e.g. by a local firewall) or the capture filter"
                        + " excludes them"
                : "but no traffic to " + target + " was seen: if the code did connect, the packets were"
                        + " dropped before reaching a captured interface (e.g. by a local firewall)";
        String text = FailureText.build(context, to, but + ".", List.of(), 0, true);
        return text + '\n' + HOW_TO_ALLOW;
    }

    /**
     * Message for an expectation that saw no such packet at all, e.g. {@code what} = "ICMP echo
     * request".
     *
     * @param to the expectation, starting with "to "
     * @param what a noun phrase for the missing packet or connection
     */
    public static String shouldHaveSeen(MessageContext context, String to, String what) {
        String but = "but no " + what + " was seen: if the code did send one, it was dropped before reaching a"
                + " captured interface (e.g. by a local firewall).";
        return FailureText.build(context, to, but, List.of(), 0, true) + '\n' + HOW_TO_ALLOW;
    }

    /**
     * Message for an expectation whose traffic never showed on the wire, while drops of it were
     * recorded (typically kernel evidence of an outbound firewall drop).
     *
     * @param what a noun phrase for the missing packet or connection ("TCP connection to port 1433")
     * @param dropLines one line per drop record
     * @param records how many drop records (lines beyond the shown ones are "... and N more")
     * @param packets how many packets the records stand for ({@code Drop.count()} summed): the count stated
     */
    public static String shouldHaveSeenButDropped(MessageContext context, String to, String what,
                                                  List<String> dropLines, int records, long packets) {
        return FailureText.build(context, to,
                "but no " + what + " was seen, only " + FailureText.count(packets, "drop", "drops"),
                dropLines, records, true);
    }

    /**
     * Message for an expectation whose traffic never showed on the wire, while the kernel recorded
     * firewall drops it could not tie to any flow ({@code kfree_skb} names no addresses; a dropped
     * ICMP echo request is such a drop): shown as the likely cause, with how to be sure.
     *
     * @param what a noun phrase for the missing packet ("ICMP echo request")
     * @param dropLines one line per drop
     * @param dropCount how many drops
     */
    public static String shouldHaveSeenButUntiedDrops(MessageContext context, String to, String what,
                                                      List<String> dropLines, int dropCount) {
        return FailureText.build(context, to,
                "but no " + what + " was seen, while the firewall dropped packets that the kernel could not"
                        + " tie to a flow (its drop events name no addresses; explainFirewall names the rule and"
                        + " both hosts)",
                dropLines, dropCount, true);
    }
}
