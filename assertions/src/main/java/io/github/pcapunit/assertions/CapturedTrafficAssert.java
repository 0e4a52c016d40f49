package io.github.pcapunit.assertions;

import io.github.pcapunit.core.analysis.CapturedTraffic;

/**
 * Assertions over {@link CapturedTraffic}; get one from {@link PcapunitAssertions#assertThat(CapturedTraffic)}.
 *
 * <pre>{@code assertThat(CapturedTraffic.read(file)).hasNoDroppedPacketsTo(1433);}</pre>
 */
public class CapturedTrafficAssert extends AbstractCapturedTrafficAssert<CapturedTrafficAssert> {

    /** An assert over {@code actual}. */
    public CapturedTrafficAssert(CapturedTraffic actual) {
        super(actual, CapturedTrafficAssert.class);
    }
}
