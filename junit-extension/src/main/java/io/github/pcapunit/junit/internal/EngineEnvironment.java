package io.github.pcapunit.junit.internal;

import io.github.pcapunit.core.capture.CaptureAvailability;
import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.InvalidFilterException;
import io.github.pcapunit.core.UnknownInterfaceException;
import java.util.List;
import java.util.Optional;

/** {@link CaptureEnvironment} asked of the capture engine (libpcap), without opening a capture. */
public final class EngineEnvironment implements CaptureEnvironment {

    /** The one instance; the engine caches what it learns. */
    public static final EngineEnvironment INSTANCE = new EngineEnvironment();

    private EngineEnvironment() {
    }

    @Override
    public Optional<String> checkFilter(String filter) {
        if (filter.isBlank()) {
            return Optional.empty();
        }
        try {
            CaptureSpec.builder().filter(filter).build().validate();
            return Optional.empty();
        } catch (InvalidFilterException e) {
            return Optional.of(e.reason());
        }
    }

    @Override
    public Optional<String> checkInterfaces(List<String> interfaces) {
        if (interfaces.isEmpty()) {
            return Optional.empty();
        }
        try {
            CaptureSpec.builder().interfaces(interfaces).build().validate();
            return Optional.empty();
        } catch (UnknownInterfaceException e) {
            return Optional.of("'" + e.requested() + "' does not exist here (available: "
                    + String.join(", ", e.available()) + ")");
        }
    }

    @Override
    public Optional<CaptureException> unavailable() {
        CaptureAvailability availability = CaptureAvailability.check();
        if (availability.isAvailable()) {
            return Optional.empty();
        }
        try {
            availability.orThrow();
            return Optional.of(new CaptureException(availability.reason()));
        } catch (CaptureException e) {
            return Optional.of(e);
        }
    }
}
