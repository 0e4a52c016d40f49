package io.github.pcapunit.junit.internal;

import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.spi.CaptureSlice;
import io.github.pcapunit.junit.TestCapture;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * One test's cut of the shared capture, kept in the test's Store. {@link #finish} is called from
 * {@code afterEach} with the outcome; {@link #close()} (by the Store) ends a slice that was never
 * finished, keeping its file unless the policy is NEVER, so nothing stays open.
 */
public final class SliceCapture implements TestCapture, AutoCloseable {

    private final CaptureSlice slice;
    private final CaptureOptions options;
    private final RunCaptures run;
    private final String kind;
    private final String name;
    private CompletableFuture<CaptureResult> finished;
    private int tests;
    private int failedTests;

    /**
     * A capture of {@code kind} "test" (name e.g. {@code com.example.LoginTest.login()}) or
     * "class" (name e.g. {@code com.example.LoginTest}).
     */
    SliceCapture(CaptureSlice slice, CaptureOptions options, RunCaptures run, String kind, String name) {
        this.slice = slice;
        this.options = options;
        this.run = run;
        this.kind = kind;
        this.name = name;
    }

    @Override
    public Path file() {
        return slice.file();
    }

    @Override
    public void mark(String message) {
        slice.mark(message);
    }

    @Override
    public CaptureResult snapshot() {
        return slice.snapshot();
    }

    /** What it captures, e.g. {@code test com.example.LoginTest.login()}. */
    public String describe() {
        return kind + " " + name;
    }

    /**
     * Why a file with {@code outcome} is kept, for the line naming it: {@code test failed},
     * {@code class failed: 1 of 3 tests failed} or {@code keep = ALWAYS}.
     */
    public String keptBecause(TestOutcome outcome) {
        if (!outcome.failed()) {
            return "keep = " + options.keep();
        }
        return "class".equals(kind) ? "class failed: " + outcome.detail() : kind + " failed";
    }

    /** The options this capture runs with. */
    public CaptureOptions options() {
        return options;
    }

    /**
     * Marks the end, ends the slice with the outcome in the section comment and decides now
     * whether the file is kept: a kept file is written in the background; a file not kept is
     * never written (the slice is discarded).
     *
     * @return completes when the file is written and the decision applied
     */
    public synchronized CompletableFuture<CaptureResult> finish(TestOutcome outcome, boolean keep) {
        if (finished == null) {
            if (!keep) {
                // nobody reads it: nothing is waited for or written (a snapshot's file is deleted)
                slice.discard();
                finished = CompletableFuture.completedFuture(null);
                return finished;
            }
            slice.mark(kind + " finished: " + name + " " + outcome);
            finished = run.applyWhenWritten(slice.end(name + " " + outcome),
                    slice.file(), keep);
        }
        return finished;
    }

    /** For a class-wide capture: counts a test of the class that ended with {@code outcome}. */
    public synchronized void testEnded(TestOutcome outcome) {
        tests++;
        if (outcome.failed()) {
            failedTests++;
        }
    }

    /**
     * For a class-wide capture: the class's outcome, failed when any of its tests failed or
     * {@code classFailure} (a failure of the class's own lifecycle, e.g. in {@code @BeforeAll}).
     */
    public synchronized TestOutcome classOutcome(TestOutcome classFailure) {
        if (failedTests > 0) {
            return new TestOutcome(TestOutcome.Kind.FAILED, failedTests + " of " + tests + " tests failed");
        }
        return classFailure.failed() ? classFailure : new TestOutcome(TestOutcome.Kind.PASSED, "");
    }

    /** Ends a slice nobody finished (a failure before afterEach), keeping it unless NEVER. */
    @Override
    public void close() {
        boolean keep = options.keep() != io.github.pcapunit.junit.Keep.NEVER;
        boolean first;
        synchronized (this) {
            first = finished == null;
        }
        finish(new TestOutcome(TestOutcome.Kind.FAILED, "test ended before pcapunit's afterEach ran"), keep);
        if (first && keep) {
            Console.kept(slice.file(), kind + " ended before pcapunit's afterEach ran");
        }
    }
}
