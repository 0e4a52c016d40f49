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

    @SuppressWarnings("deprecation")
    static void publish(ExtensionContext context, Path file) {
        context.publishFile(file.getFileName().toString(),
                org.junit.jupiter.api.extension.MediaType.parse(PCAPNG),
                target -> Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING));
    }
}
