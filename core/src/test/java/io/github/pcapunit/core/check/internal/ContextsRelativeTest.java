package io.github.pcapunit.core.check.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The check messages' relative times carry one sign, as the verdicts' do (never {@code +-}). */
class ContextsRelativeTest {

    private static final Instant BASE = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void afterTheBase_isPlus() {
        assertEquals("+1.022 s", Contexts.relative(BASE.plusNanos(1_022_000_000L), BASE));
        assertEquals("+0.000 s", Contexts.relative(BASE, BASE));
    }

    @Test
    void aHairBeforeTheBase_isMinusZero() {
        assertEquals("-0.000 s", Contexts.relative(BASE.minusNanos(257_000), BASE));
        assertEquals("-2.500 s", Contexts.relative(BASE.minusMillis(2_500), BASE));
    }
}
