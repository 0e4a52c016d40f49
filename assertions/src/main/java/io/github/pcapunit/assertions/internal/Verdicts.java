package io.github.pcapunit.assertions.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.check.Expectation;
import java.util.Optional;
import org.assertj.core.error.ErrorMessageFactory;

/** Evaluates a core {@link Expectation} for an assert: its failure, as the AssertJ error message. */
public final class Verdicts {

    private Verdicts() {
    }

    /**
     * The failure of {@code expectation} over {@code traffic}, or empty when it holds.
     *
     * @param allowNoTraffic whether the assert was {@code allowingNoTraffic()}
     */
    public static Optional<ErrorMessageFactory> failure(Expectation expectation, CapturedTraffic traffic,
                                                        boolean allowNoTraffic) {
        Expectation e = allowNoTraffic ? expectation.allowingNoTraffic() : expectation;
        return e.check(traffic).map(v -> new TextMessage(v.message()));
    }
}
