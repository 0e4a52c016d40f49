package io.github.pcapunit.junit.internal;

import java.util.List;
import java.util.Optional;

/**
 * What the machine allows, asked before any capture starts. Each check returns the reason of a
 * refusal, empty when fine.
 */
public interface CaptureEnvironment {

    /** Why {@code filter} does not compile (libpcap's words), empty when it does. */
    Optional<String> checkFilter(String filter);

    /** Why one of {@code interfaces} cannot be captured on, empty when all can. */
    Optional<String> checkInterfaces(List<String> interfaces);

    /**
     * The exception a capture would throw on this machine (its message says why and the fix),
     * empty when captures can start.
     */
    Optional<io.github.pcapunit.core.CaptureException> unavailable();
}
