package io.github.pcapunit.junit.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.JUnitException;

/**
 * Attaches a kept capture file to the test report with {@code ExtensionContext.publishFile}.
 * Uses the {@code extension.MediaType} overload: the only one JUnit 5.12/5.13 have, deprecated
 * (not yet removed) in 5.14 and 6.x, so this compiles against and runs on all of them.
 */
final class Publishing {

    static final String PCAPNG = "application/x-pcapng";

    private Publishing() {
    }

    /**
     * Publishes {@code file}; when the launcher cannot take files (no output directory
     * configured, as in a bare EngineTestKit run) says so in a report entry instead of failing the
     * test: the file is still kept where the report entry {@code pcapunit.capture} says.
     */
    static void publish(ExtensionContext context, Path file) {
        try {
            publishWithExtensionMediaType(context, file);
        } catch (JUnitException e) {
            context.publishReportEntry("pcapunit.capture.notAttached", String.valueOf(e.getMessage()));
        }
    }

    // TODO switch to org.junit.jupiter.api.MediaType when support for JUnit 5.13 ends (it has only this one).
    @SuppressWarnings({"deprecation", "removal"})
    private static void publishWithExtensionMediaType(ExtensionContext context, Path file) {
        context.publishFile(file.getFileName().toString(), org.junit.jupiter.api.extension.MediaType.parse(PCAPNG),
                target -> Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING));
    }
}
