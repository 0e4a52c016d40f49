package io.github.pcapunit.maven.internal;

import java.util.Optional;

/**
 * Decides whether a goal is skipped. The capture surrounds integration tests, so every flag that
 * switches those off switches the capture off too.
 */
public final class Skips {

    private Skips() {
    }

    /**
     * The reason to skip, or empty to run.
     *
     * @param captureSkip {@code capture.skip}
     * @param skipITs Failsafe's {@code skipITs}
     * @param skipTests {@code skipTests}
     * @param mavenTestSkip {@code maven.test.skip}
     */
    public static Optional<String> reason(boolean captureSkip, boolean skipITs, boolean skipTests,
            boolean mavenTestSkip) {
        if (captureSkip) {
            return Optional.of("capture.skip is set");
        }
        if (skipITs) {
            return Optional.of("skipITs is set");
        }
        if (skipTests) {
            return Optional.of("skipTests is set");
        }
        if (mavenTestSkip) {
            return Optional.of("maven.test.skip is set");
        }
        return Optional.empty();
    }
}
