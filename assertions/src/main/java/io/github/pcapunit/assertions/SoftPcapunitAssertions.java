package io.github.pcapunit.assertions;

import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.analysis.CapturedTraffic;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractSoftAssertions;

/**
 * Soft assertions: every failure is collected, {@link #assertAll()} reports them together.
 * Navigation ({@code packets()}, {@code connections().to(...)}, {@code icmp().echoRequests()})
 * collects too.
 *
 * <pre>{@code
 * SoftPcapunitAssertions.assertSoftly(softly -> {
 *     softly.assertThat(traffic).hasNoDroppedPacketsTo(1433);
 *     softly.assertThat(traffic).icmp().echoRequests().allAnswered();
 * });
 * }</pre>
 */
public class SoftPcapunitAssertions extends AbstractSoftAssertions {

    /** Soft assertions; call {@link #assertAll()} at the end. */
    public SoftPcapunitAssertions() {
    }

    /**
     * Soft assertions over {@code actual}.
     *
     * <pre>{@code softly.assertThat(traffic).hasNoDrops();}</pre>
     */
    public CapturedTrafficAssert assertThat(CapturedTraffic actual) {
        CapturedTrafficAssert a = proxy(CapturedTrafficAssert.class, CapturedTraffic.class,
                actual == null ? null : actual.settled());
        a.soft = this;
        return a;
    }

    /**
     * Soft assertions over the traffic of a finished capture.
     *
     * <pre>{@code softly.assertThat(capture.stop()).isComplete();}</pre>
     */
    public CapturedTrafficAssert assertThat(CaptureResult actual) {
        return assertThat(actual == null ? null : CapturedTraffic.of(actual));
    }

    /**
     * Runs {@code assertions} softly and then fails with every collected failure.
     *
     * <pre>{@code SoftPcapunitAssertions.assertSoftly(s -> s.assertThat(traffic).hasNoDrops());}</pre>
     */
    public static void assertSoftly(Consumer<SoftPcapunitAssertions> assertions) {
        SoftPcapunitAssertions softly = new SoftPcapunitAssertions();
        assertions.accept(softly);
        softly.assertAll();
    }
}
