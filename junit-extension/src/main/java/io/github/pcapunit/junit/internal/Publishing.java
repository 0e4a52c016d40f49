package io.github.pcapunit.junit.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Attaches a kept capture file to the test report with {@code ExtensionContext.publishFile}
 * (JUnit 5.12+). Uses the {@code extension.MediaType} overload, which exists from 5.12 through
 * 6.x, so one binary works on all of them.
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
    @SuppressWarnings("deprecation")
    static void publish(ExtensionContext context, Path file) {
        try {
            context.publishFile(file.getFileName().toString(),
                    org.junit.jupiter.api.extension.MediaType.parse(PCAPNG),
                    target -> Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING));
        } catch (org.junit.platform.commons.JUnitException e) {
            context.publishReportEntry("pcapunit.capture.notAttached", String.valueOf(e.getMessage()));
        }
    }
}
