package io.github.pcapunit.assertions;

import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.analysis.CapturedTraffic;

/**
 * Entry point of pcapunit's AssertJ assertions.
 *
 * <pre>{@code
 * import static io.github.pcapunit.assertions.PcapunitAssertions.assertThat;
 *
 * assertThat(capture.stop())
 *         .hasNoDroppedPacketsTo(1433)
 *         .isComplete();
 * assertThat(CapturedTraffic.read(Path.of("from-tcpdump.pcap")))
 *         .connections().to(1433).allEstablished();
 * }</pre>
 */
public final class PcapunitAssertions {

    private PcapunitAssertions() {
    }

    /**
     * Assertions over {@code actual}.
     *
     * <pre>{@code assertThat(CapturedTraffic.read(file)).hasNoDrops();}</pre>
     */
    public static CapturedTrafficAssert assertThat(CapturedTraffic actual) {
        // A live view (JUnit parameter) is settled once, so one assertion chain sees one moment.
        return new CapturedTrafficAssert(actual == null ? null : actual.settled());
    }

    /**
     * Assertions over the traffic of a finished capture (its file plus its loss statistics and
     * kernel evidence status).
     *
     * <pre>{@code assertThat(capture.stop()).hasNoDroppedPacketsTo(1433);}</pre>
     */
    public static CapturedTrafficAssert assertThat(CaptureResult actual) {
        return new CapturedTrafficAssert(actual == null ? null : CapturedTraffic.of(actual));
    }
}
