package io.github.pcapunit.junit;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.KernelEvidence;
import io.github.pcapunit.junit.internal.CaptureEnvironment;
import io.github.pcapunit.junit.internal.CaptureLifecycle;
import io.github.pcapunit.junit.internal.CaptureOptions;
import io.github.pcapunit.junit.internal.EngineEnvironment;
import java.lang.reflect.Method;
import java.util.List;
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
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link CaptureTraffic}: reads the closest annotation (method, class,
 * enclosing class) and delegates to {@link CaptureLifecycle}.
 */
class CaptureTrafficAnnotationExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        BeforeTestExecutionCallback, AfterTestExecutionCallback, AfterEachCallback, ParameterResolver,
        InvocationInterceptor {

    /**
     * Test seam: when set, capture is reported unavailable with this exception instead of asking
     * the machine. Only tests of this package set it (and reset it afterwards).
     */
    static volatile CaptureException simulatedUnavailability;

    private final CaptureLifecycle lifecycle =
            new CaptureLifecycle(CaptureTrafficAnnotationExtension::options, this::environment);

    /** The environment, or the simulated one of the test seam. */
    CaptureEnvironment environment() {
        CaptureException simulated = simulatedUnavailability;
        return simulated == null ? EngineEnvironment.INSTANCE : isCaptureAvailable(simulated);
    }

    /** An environment like the real one except that no capture is available, for {@code reason}. */
    static CaptureEnvironment isCaptureAvailable(CaptureException reason) {
        return new CaptureEnvironment() {
            @Override
            public Optional<String> checkFilter(String filter) {
                return EngineEnvironment.INSTANCE.checkFilter(filter);
            }

            @Override
            public Optional<String> checkInterfaces(List<String> interfaces) {
                return EngineEnvironment.INSTANCE.checkInterfaces(interfaces);
            }

            @Override
            public Optional<CaptureException> unavailable() {
                return Optional.of(reason);
            }
        };
    }

    static Optional<CaptureOptions> options(ExtensionContext context) {
        Optional<CaptureTraffic> found = Optional.empty();
        // A dynamic test's context has no method; its parent (the @TestFactory) has.
        for (ExtensionContext c = context; found.isEmpty() && c != null; c = c.getParent().orElse(null)) {
            Optional<Method> method = c.getTestMethod();
            if (method.isPresent()) {
                found = AnnotationSupport.findAnnotation(method.get(), CaptureTraffic.class);
                break;
            }
        }
        for (ExtensionContext c = context; found.isEmpty() && c != null; c = c.getParent().orElse(null)) {
            if (c.getTestClass().isPresent()) {
                found = AnnotationSupport.findAnnotation(c.getTestClass().get(), CaptureTraffic.class);
            }
        }
        return found.map(CaptureTrafficAnnotationExtension::toOptions);
    }

    static CaptureOptions toOptions(CaptureTraffic a) {
        return new CaptureOptions(CaptureOptions.Origin.ANNOTATION, a.filter(), List.of(a.interfaces()), a.snaplen(),
                a.headersOnly(),
                a.keep() == Keep.ON_FAILURE ? null : a.keep(),
                a.outputDirectory().isEmpty() ? null : a.outputDirectory(),
                a.kernelEvidence() == KernelEvidence.AUTO ? null : a.kernelEvidence(),
                a.onUnavailable() == OnUnavailable.FAIL ? null : a.onUnavailable(),
                a.scope() == Scope.TEST ? null : a.scope(),
                a.explainFirewall(), List.of(a.explainNamespaces()));
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
