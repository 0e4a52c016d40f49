package io.github.pcapunit.junit.internal;

import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.spi.SharedCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything pcapunit keeps for a whole test run, stored as an {@link AutoCloseable} in the root
 * {@code ExtensionContext.Store} so JUnit closes it when the run ends: one {@link SharedCapture}
 * per distinct capture spec (interfaces, filter, snaplen, buffer, kernel evidence, ...), the file names
 * claimed so far, the resolved options, and the keep-or-delete actions still waiting for their slice's file.
 *
 * <p>{@link #close()} ends every shared capture (which writes every slice) and only then
 * returns, after every file was kept or deleted.
 */
public final class RunCaptures implements AutoCloseable {

    private final Map<CaptureSpec, SharedCapture> shared = new ConcurrentHashMap<>();
    private final Map<DeclaredOptions, CaptureOptions> options = new ConcurrentHashMap<>();
    private final Set<Class<?>> checkedClasses = ConcurrentHashMap.newKeySet();
    private final List<CompletableFuture<?>> pending = new ArrayList<>();
    private final CaptureFileNames names = new CaptureFileNames();
    private final java.util.concurrent.atomic.AtomicBoolean skipAnnounced = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    /** True for the first test of the run skipped because no capture can be made, false after. */
    public boolean firstSkip() {
        return skipAnnounced.compareAndSet(false, true);
    }

    /** File names of this run. */
    public CaptureFileNames names() {
        return names;
    }

    /** Options resolved once per distinct declaration. */
    public Map<DeclaredOptions, CaptureOptions> optionsCache() {
        return options;
    }

    /** Whether {@code testClass}'s declarations passed the once-per-class checks already. */
    public boolean checkedClasses(Class<?> testClass) {
        return checkedClasses.contains(testClass);
    }

    /** Records that {@code testClass}'s declarations passed the checks. */
    public void markChecked(Class<?> testClass) {
        checkedClasses.add(testClass);
    }

    /**
     * The shared capture for {@code options}' spec, started on first use.
     *
     * @throws io.github.pcapunit.core.CaptureException when it cannot start
     */
    public SharedCapture sharedCapture(CaptureOptions options) {
        if (closed) {
            throw new IllegalStateException("pcapunit's captures of this run are closed; the run has ended");
        }
        return shared.computeIfAbsent(options.sharedCaptureKey(), key -> SharedCapture.start(options.spec()));
    }

    /**
     * Applies the keep-or-delete decision once {@code written} completes: deletes the file when
     * {@code keep} is false. Returns the future of the decision applied.
     */
    public CompletableFuture<CaptureResult> applyWhenWritten(CompletableFuture<CaptureResult> written, Path file,
            boolean keep) {
        CompletableFuture<CaptureResult> applied = written.whenComplete((result, error) -> {
            if (!keep) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not delete " + file, e);
                }
            }
        });
        synchronized (pending) {
            pending.removeIf(CompletableFuture::isDone);
            pending.add(applied);
        }
        return applied;
    }

    /** Ends every shared capture (every slice gets written), then waits for every keep/delete. */
    @Override
    public void close() {
        closed = true;
        RuntimeException failure = null;
        for (SharedCapture capture : shared.values()) {
            try {
                capture.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        List<CompletableFuture<?>> waiting;
        synchronized (pending) {
            waiting = new ArrayList<>(pending);
            pending.clear();
        }
        for (CompletableFuture<?> f : waiting) {
            try {
                f.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
