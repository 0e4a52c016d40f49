package io.github.pcapunit.junit;

import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.junit.internal.CaptureEnvironment;
import io.github.pcapunit.junit.internal.CaptureLifecycle;
import io.github.pcapunit.junit.internal.CaptureOptions;
import io.github.pcapunit.junit.internal.EngineEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
public final class CaptureTrafficExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        BeforeTestExecutionCallback, AfterTestExecutionCallback, AfterEachCallback, ParameterResolver,
        InvocationInterceptor {

    private final CaptureOptions options;
    private final CaptureLifecycle lifecycle;

    private CaptureTrafficExtension(Builder builder) {
        this.options = new CaptureOptions(CaptureOptions.Origin.BUILDER, builder.filter, builder.interfaces,
                builder.snaplen, builder.headersOnly, builder.keep,
                builder.outputDirectory == null ? null : builder.outputDirectory.toString(),
                builder.kernelEvidence, builder.onUnavailable, builder.scope, builder.explainFirewall,
                builder.explainNamespaces);
        CaptureEnvironment environment = builder.environment;
        this.lifecycle = new CaptureLifecycle(context -> Optional.of(options), () -> environment);
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

    /** Builds a {@link CaptureTrafficExtension}; options mirror {@link CaptureTraffic}'s attributes. */
    public static final class Builder {
        private String filter = "";
        private final List<String> interfaces = new ArrayList<>();
        private int snaplen;
        private boolean headersOnly;
        private Keep keep;
        private Path outputDirectory;
        private KernelEvidence kernelEvidence;
        private OnUnavailable onUnavailable;
        private Scope scope;
        private String explainFirewall = "";
        private List<String> explainNamespaces = List.of();
        private CaptureEnvironment environment = EngineEnvironment.INSTANCE;

        private Builder() {
        }

        /** Capture filter in tcpdump syntax, e.g. {@code "tcp port 1433"}; default: everything. */
        public Builder filter(String bpf) {
            this.filter = Objects.requireNonNull(bpf, "filter");
            return this;
        }

        /** Interfaces, e.g. {@code "lo"}; default: the engine's ({@code any}). */
        public Builder interfaces(String... names) {
            this.interfaces.clear();
            this.interfaces.addAll(List.of(names));
            return this;
        }

        /** Bytes kept per packet; 0 (default) for whole packets; negative values are refused. */
        public Builder snaplen(int bytes) {
            this.snaplen = bytes;
            return this;
        }

        /** Keep packet headers only. */
        public Builder headersOnly() {
            this.headersOnly = true;
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

        /** Kernel evidence; default: {@code pcapunit.kernel.evidence}, else {@link KernelEvidence#AUTO}. */
        public Builder kernelEvidence(KernelEvidence mode) {
            this.kernelEvidence = Objects.requireNonNull(mode, "kernelEvidence");
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

        /** Explain mode with this nft match, e.g. {@code "tcp dport 1433"}; see {@link CaptureTraffic#explainFirewall()}. */
        public Builder explainFirewall(String nftMatch) {
            this.explainFirewall = Objects.requireNonNull(nftMatch, "explainFirewall");
            return this;
        }

        /** Namespaces explain mode also traces; see {@link CaptureTraffic#explainNamespaces()}. */
        public Builder explainNamespaces(String... namespaces) {
            this.explainNamespaces = List.of(namespaces);
            return this;
        }

        /** Test seam: the environment asked about filters, interfaces and availability. */
        Builder environment(CaptureEnvironment environment) {
            this.environment = environment;
            return this;
        }

        /**
         * The extension. Options are checked when the first test runs (where configuration
         * parameters are known), before any capture starts.
         */
        public CaptureTrafficExtension build() {
            return new CaptureTrafficExtension(this);
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
