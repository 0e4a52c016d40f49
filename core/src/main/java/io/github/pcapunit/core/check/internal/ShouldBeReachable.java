package io.github.pcapunit.core.check.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.analysis.Diagnosis;
import java.util.List;
import java.util.Optional;

/** Failure kind: a destination that should be reachable is not; the diagnosis leads the message. */
public final class ShouldBeReachable {

    private ShouldBeReachable() {
    }

    /** {@code host}:{@code port} was reached by at least one flow and none failed. */
    public static Check reachable(String host, int port) {
        return (traffic, allowNoTraffic) -> {
            Diagnosis d = traffic.diagnosis(host, port);
            String target = d.destination().toString();
            if (d.flows().isEmpty()) {
                if (allowNoTraffic) {
                    return Optional.empty();
                }
                return Optional.of(ShouldHaveSeenTraffic.shouldHaveSeenTraffic(Contexts.of(traffic),
                        "to have " + target + " reachable", target));
            }
            if (d.isReachable()) {
                return Optional.empty();
            }
            return Optional.of(message(traffic, d));
        };
    }

    private static String message(CapturedTraffic traffic, Diagnosis d) {
        List<String> lines = new java.util.ArrayList<>();
        d.echoes().forEach(v -> lines.add(v.toString()));
        lines.addAll(Verdicts.lines(d.failures(), List.of()));
        int failed = d.failures().size();
        return FailureText.verdictFirst(Contexts.of(traffic), d.sentence(), lines,
                "to have " + d.destination() + " reachable",
                "but " + failed + " of " + d.flows().size() + (d.flows().size() == 1 ? " flow" : " flows")
                        + " to it failed", true);
    }
}
