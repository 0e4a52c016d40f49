package io.github.pcapunit.core.check.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import java.util.Optional;

/** The evaluation behind an {@code Expectation}: empty when it holds, else the failure message. */
@FunctionalInterface
public interface Check {

    /**
     * Evaluates over {@code traffic}.
     *
     * @param allowNoTraffic whether the absence of the traffic the check is about is a pass
     */
    Optional<String> evaluate(CapturedTraffic traffic, boolean allowNoTraffic);
}
