package io.github.pcapunit.junit;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.junit.internal.CaptureEnvironment;
import io.github.pcapunit.junit.internal.CaptureLifecycle;
import io.github.pcapunit.junit.internal.DeclaredOptions;
import io.github.pcapunit.junit.internal.EngineEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The programmatic form of {@link CaptureTraffic}, for options computed at run time (a port
 * chosen by the test, an interface the test created). Register it with
 * {@code @RegisterExtension}; it behaves exactly like the annotation.
 *
 * <pre>{@code
 * @RegisterExtension
 * static CaptureTrafficExtension capture = CaptureTrafficExtension.builder()
 *         .filter("tcp port " + server.port())
 *         .keep(Keep.ALWAYS)
 *         .build();
 * }</pre>
 *
 * <p>Every capture option of the engine is reachable through {@link Builder#spec(Consumer)}, e.g.
 * the kernel buffer: {@code .spec(spec -> spec.bufferSize(4 << 20))}; {@code @CaptureTraffic}
 * exposes the same options as attributes of the same names.
 *
 * <p>This class is also the implementation behind {@link CaptureTraffic}; it is not meant to be
 * subclassed (its constructor is not public).
 *
 * <p>Configuration parameters ({@code junit-platform.properties} or {@code -D...}); each replaces
 * the built-in default of an option the annotation or builder leaves unset, and an option that
 * is set wins over the parameter:
 * <ul>
 *   <li>{@code pcapunit.enabled} — {@code false} runs tests without capturing (tests that take a
 *       {@link TestCapture} parameter are then skipped); default {@code true}.</li>
 *   <li>{@code pcapunit.keep} — {@code ON_FAILURE}, {@code ALWAYS} or {@code NEVER}; default
 *       {@code ON_FAILURE}.</li>
 *   <li>{@code pcapunit.output.directory} — default {@code target/pcapunit}.</li>
 *   <li>{@code pcapunit.kernel.evidence} — {@code AUTO}, {@code REQUIRED} or {@code OFF};
 *       default {@code AUTO}.</li>
 *   <li>{@code pcapunit.on.unavailable} — {@code FAIL} or {@code SKIP}; default {@code FAIL}.</li>
 *   <li>{@code pcapunit.interfaces} — comma-separated; default: the engine's ({@code any}).</li>
 * </ul>
 * A bad parameter value fails the test with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming it and the
 * accepted values.
 */
public class CaptureTrafficExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback,
        BeforeEachCallback, BeforeTestExecutionCallback, AfterTestExecutionCallback, AfterEachCallback,
        ParameterResolver, InvocationInterceptor {

    /**
     * Test seam: when set, capture is reported unavailable with this exception instead of asking
     * the machine. Only tests of this package set it (and reset it afterwards).
     */
    static volatile CaptureException simulatedUnavailability;

    private final CaptureLifecycle lifecycle;

    /** An extension capturing with the options {@code declarations} finds for a test (empty: none). */
    CaptureTrafficExtension(Function<ExtensionContext, Optional<DeclaredOptions>> declarations) {
        this.lifecycle = new CaptureLifecycle(declarations, CaptureTrafficExtension::environment);
    }

    /** The environment, or the simulated one of the test seam. */
    static CaptureEnvironment environment() {
        CaptureException simulated = simulatedUnavailability;
        return simulated == null ? EngineEnvironment.INSTANCE : unavailableEnvironment(simulated);
    }

    /**
     * An environment where no capture is available, for {@code reason}; like a machine without
     * libpcap, it cannot check filters or interfaces either (the check throws {@code reason}).
     */
    private static CaptureEnvironment unavailableEnvironment(CaptureException reason) {
        return new CaptureEnvironment() {
            @Override
            public Optional<String> checkFilter(String filter) {
                throw reason;
            }

            @Override
            public Optional<String> checkInterfaces(List<String> interfaces) {
                throw reason;
            }

            @Override
            public Optional<CaptureException> unavailable() {
                return Optional.of(reason);
            }
        };
    }

    /**
     * A builder; every option left unset takes the configuration parameter or the default.
     *
     * <pre>{@code
     * CaptureTrafficExtension ext = CaptureTrafficExtension.builder().filter("udp").build();
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link CaptureTrafficExtension}; options mirror {@link CaptureTraffic}'s attributes.
     * Capture options apply in the order they are called, so a later call wins.
     */
    public static final class Builder {
        private final List<Consumer<CaptureSpec.Builder>> spec = new ArrayList<>();
        private Keep keep;
        private Path outputDirectory;
        private OnUnavailable onUnavailable;
        private Scope scope;

        private Builder() {
        }

        /** Capture filter in tcpdump syntax, e.g. {@code "tcp port 1433"}; default: everything. */
        public Builder filter(String bpf) {
            Objects.requireNonNull(bpf, "filter");
            return spec(s -> s.filter(bpf));
        }

        /** Interfaces, e.g. {@code "lo"}; default: {@code pcapunit.interfaces}, else the engine's ({@code any}). */
        public Builder interfaces(String... names) {
            List<String> copy = List.of(names);
            return spec(s -> s.interfaces(copy));
        }

        /** Bytes kept per packet; 0 (default) for whole packets; negative values are refused. */
        public Builder snaplen(int bytes) {
            return spec(s -> s.snaplen(bytes == 0 ? CaptureSpec.DEFAULT_SNAPLEN : bytes));
        }

        /** Keep packet headers only. */
        public Builder headersOnly() {
            return spec(CaptureSpec.Builder::headersOnly);
        }

        /** Kernel evidence; default: {@code pcapunit.kernel.evidence}, else {@link KernelEvidence#AUTO}. */
        public Builder kernelEvidence(KernelEvidence mode) {
            Objects.requireNonNull(mode, "kernelEvidence");
            return spec(s -> s.kernelEvidence(mode));
        }

        /** Explain mode with this nft match, e.g. {@code "tcp dport 1433"}; see {@link CaptureTraffic#explainFirewall()}. */
        public Builder explainFirewall(String nftMatch) {
            Objects.requireNonNull(nftMatch, "explainFirewall");
            return spec(s -> s.explainFirewall(nftMatch.isEmpty() ? null : nftMatch));
        }

        /** Namespaces explain mode also traces; see {@link CaptureTraffic#explainNamespaces()}. */
        public Builder explainNamespaces(String... namespaces) {
            String[] copy = namespaces.clone();
            return spec(s -> s.explainNamespaces(copy));
        }

        /**
         * Any option of the capture engine, set on the {@link CaptureSpec.Builder} the test's
         * capture is built from, e.g. a 4 MiB kernel buffer:
         *
         * <pre>{@code
         * CaptureTrafficExtension.builder().filter("udp port 9999").spec(spec -> spec.bufferSize(4 << 20)).build();
         * }</pre>
         *
         * Values are checked when the first test runs, like the other options. Where the files go
         * is {@link #outputDirectory(Path)}: the spec's {@code output} is only where the run's
         * shared capture keeps its native file, and its {@code maxFileSize} caps each test's file.
         */
        public Builder spec(Consumer<CaptureSpec.Builder> options) {
            spec.add(Objects.requireNonNull(options, "spec"));
            return this;
        }

        /** Which files survive; default: {@code pcapunit.keep}, else {@link Keep#ON_FAILURE}. */
        public Builder keep(Keep keep) {
            this.keep = Objects.requireNonNull(keep, "keep");
            return this;
        }

        /** Output directory; default: {@code pcapunit.output.directory}, else {@code target/pcapunit}. */
        public Builder outputDirectory(Path directory) {
            this.outputDirectory = Objects.requireNonNull(directory, "outputDirectory");
            return this;
        }

        /** What to do when no capture is possible; default: {@code pcapunit.on.unavailable}, else FAIL. */
        public Builder onUnavailable(OnUnavailable behaviour) {
            this.onUnavailable = Objects.requireNonNull(behaviour, "onUnavailable");
            return this;
        }

        /** One file per test (default) or per class; see {@link Scope}. Register the extension in a static field for CLASS. */
        public Builder scope(Scope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /**
         * The extension. Options are checked when the first test runs (where configuration
         * parameters are known), before any capture starts.
         */
        public CaptureTrafficExtension build() {
            DeclaredOptions declared = new DeclaredOptions(DeclaredOptions.Origin.BUILDER, new SpecSteps(List.copyOf(spec)),
                    keep, outputDirectory == null ? null : outputDirectory.toString(), onUnavailable, scope);
            return new CaptureTrafficExtension(context -> Optional.of(declared));
        }
    }

    /** The builder's capture options, applied in call order. */
    private record SpecSteps(List<Consumer<CaptureSpec.Builder>> steps) implements DeclaredOptions.SpecChange {
        @Override
        public void applyTo(CaptureSpec.Builder spec) {
            steps.forEach(step -> step.accept(spec));
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return lifecycle.evaluate(context);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        lifecycle.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        lifecycle.afterAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        lifecycle.beforeEach(context);
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        lifecycle.beforeTestExecution(context);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        lifecycle.afterTestExecution(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        lifecycle.afterEach(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return lifecycle.supportsParameter(parameterContext, extensionContext);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return lifecycle.resolveParameter(parameterContext, extensionContext);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        lifecycle.interceptDynamicTest(invocation, extensionContext);
    }
}
