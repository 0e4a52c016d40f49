package io.github.pcapunit.maven.internal;

import io.github.pcapunit.core.capture.Capture;
import io.github.pcapunit.core.capture.CaptureResult;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The state {@code capture:start} hands to {@code capture:stop}, kept in the plugin context.
 * Maven gives each project its own plugin context; the key also carries the project's
 * coordinates so that a shared map could never mix two modules of a {@code -T} build.
 */
public final class CaptureRegistry {

    private static final String PREFIX = "io.github.pcapunit.maven.capture:";

    /** A capture started by an execution of {@code capture:start}. */
    public static final class Running {
        private final Capture capture;
        private final Path output;
        private final String startedBy;

        /** A capture {@code startedBy} started, writing to {@code output}. */
        public Running(Capture capture, Path output, String startedBy) {
            this.capture = capture;
            this.output = output;
            this.startedBy = startedBy;
        }

        /** The running capture. */
        public Capture capture() {
            return capture;
        }

        /** The file it writes. */
        public Path output() {
            return output;
        }

        /** The goal and execution that started it, e.g. {@code capture:start (default-cli)}. */
        public String startedBy() {
            return startedBy;
        }
    }

    /** {@code capture:start} was skipped; {@code stop} and {@code verify} skip quietly too. */
    public static final class Skipped {
        private final String reason;

        /** Start was skipped for {@code reason}, e.g. {@code skipITs is set}. */
        public Skipped(String reason) {
            this.reason = reason;
        }

        /** Why start was skipped. */
        public String reason() {
            return reason;
        }
    }

    /** {@code capture:stop} finished this capture; verify reads it with the engine's statistics. */
    public static final class Finished {
        private final CaptureResult result;

        /** The result {@code capture:stop} got. */
        public Finished(CaptureResult result) {
            this.result = result;
        }

        /** The stopped capture's result. */
        public CaptureResult result() {
            return result;
        }
    }

    private final Map<String, Object> context;
    private final String key;

    /** The state of {@code projectKey} ({@code groupId:artifactId}) in a plugin context. */
    public CaptureRegistry(Map<String, Object> context, String projectKey) {
        this.context = context;
        this.key = PREFIX + projectKey;
    }

    /** The running capture of this project, if any. */
    public Optional<Running> running() {
        Object o = context.get(key);
        return o instanceof Running ? Optional.of((Running) o) : Optional.empty();
    }

    /** Why start was skipped for this project, if it was. */
    public Optional<String> skippedBecause() {
        Object o = context.get(key);
        return o instanceof Skipped ? Optional.of(((Skipped) o).reason()) : Optional.empty();
    }

    /** Records a started capture. */
    public void putRunning(Running running) {
        context.put(key, running);
    }

    /** Records that start was skipped, so stop and verify skip quietly. */
    public void putSkipped(String reason) {
        context.put(key, new Skipped(reason));
    }

    /** Records the result of {@code capture:stop}. */
    public void putFinished(CaptureResult result) {
        context.put(key, new Finished(result));
    }

    /** The result of this build's {@code capture:stop}, if it ran. */
    public Optional<CaptureResult> finished() {
        Object o = context.get(key);
        return o instanceof Finished ? Optional.of(((Finished) o).result()) : Optional.empty();
    }

    /** Removes and returns the running capture, so a second stop cannot stop it again. */
    public Optional<Running> takeRunning() {
        Optional<Running> r = running();
        r.ifPresent(x -> context.remove(key));
        return r;
    }
}
