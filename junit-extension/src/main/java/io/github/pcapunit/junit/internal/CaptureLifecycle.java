package io.github.pcapunit.junit.internal;

import io.github.pcapunit.core.analysis.CapturedTraffic;
import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.CaptureResult;
import io.github.pcapunit.core.capture.spi.CaptureSlice;
import io.github.pcapunit.junit.OnUnavailable;
import io.github.pcapunit.junit.Scope;
import io.github.pcapunit.junit.TestCapture;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * What {@code CaptureTrafficExtension} does, for the annotation and for {@code @RegisterExtension}
 * alike, with the {@link CaptureOptions} resolved from what either declared: each test
 * gets a slice of a run-wide shared capture, opened in {@code beforeEach}, marked around the test
 * body, ended in {@code afterEach} with the outcome, then kept or deleted in the background.
 */
public final class CaptureLifecycle {

    private static final Object ROOT_LOCK = new Object();
    /** File name (without extension) of a class-wide capture. */
    static final String CLASS_FILE = "all-tests";

    private final Function<ExtensionContext, Optional<DeclaredOptions>> declarations;
    private final Supplier<CaptureEnvironment> environment;

    /**
     * A lifecycle for the options {@code declarations} finds for a context (the closest annotation,
     * or a builder's), checked against {@code environment} (the seam tests use to simulate an
     * unavailable capture).
     */
    public CaptureLifecycle(Function<ExtensionContext, Optional<DeclaredOptions>> declarations,
            Supplier<CaptureEnvironment> environment) {
        this.declarations = declarations;
        this.environment = environment;
    }

    /** Skips a test when capture is impossible and the options say SKIP; otherwise lets it run. */
    public ConditionEvaluationResult evaluate(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("pcapunit: nothing to decide here");
        }
        boolean enabled;
        try {
            enabled = parameters(context).enabled();
        } catch (RuntimeException e) {
            return ConditionEvaluationResult.enabled("pcapunit: parameter refused, reported in beforeEach");
        }
        if (!enabled) {
            boolean needsCapture = java.util.Arrays.stream(context.getRequiredTestMethod().getParameterTypes())
                    .anyMatch(type -> type == TestCapture.class || type == CapturedTraffic.class);
            return needsCapture
                    ? ConditionEvaluationResult.disabled(ConfigParameters.ENABLED + "=false: pcapunit captures "
                            + "nothing, and this test takes its capture as a parameter")
                    : ConditionEvaluationResult.enabled("pcapunit: disabled, test runs without capture");
        }
        Optional<DeclaredOptions> found = declarations.apply(context);
        if (found.isEmpty()) {
            return ConditionEvaluationResult.enabled("pcapunit: no capture asked for");
        }
        Optional<CaptureException> unavailable = environment.get().unavailable();
        if (unavailable.isEmpty()) {
            return ConditionEvaluationResult.enabled("pcapunit: capture possible");
        }
        CaptureOptions options;
        try {
            // Where capture is unavailable, resolving asks nothing of libpcap (see OptionsResolver).
            options = options(context, found.get());
        } catch (RuntimeException e) {
            // Misconfiguration fails the test in beforeEach, with its own exception type.
            return ConditionEvaluationResult.enabled("pcapunit: options refused, reported in beforeEach");
        }
        if (options.onUnavailable() == OnUnavailable.SKIP) {
            return ConditionEvaluationResult.disabled(skipReason(context, unavailable.get()));
        }
        return ConditionEvaluationResult.enabled("pcapunit: capture unavailable, the test fails in beforeEach");
    }

    /** The reason a capture cannot be made here: the engine's, then what else the user must fix. */
    private static String unavailableReason(CaptureException unavailable) {
        String reason = unavailable.getMessage();
        Optional<String> hint = NativeAccess.missingFlagHint();
        if (hint.isEmpty()) {
            return reason;
        }
        return reason + (reason.endsWith(".") ? " " : ". ") + hint.get();
    }

    /** The reason a test is skipped, printed to the test output once per run (XML reports alone hide it). */
    private static String skipReason(ExtensionContext context, CaptureException unavailable) {
        String reason = unavailableReason(unavailable);
        if (run(context).firstSkip()) {
            Console.skipping(reason);
        }
        return reason;
    }

    /** Checks the class's declarations once (e.g. the annotation on a method that is not a test). */
    public void beforeAll(ExtensionContext context) {
        if (!parameters(context).enabled()) {
            return;
        }
        checkDeclarations(context);
        Optional<DeclaredOptions> found = declarations.apply(context);
        if (found.isPresent() && found.get().scope() == Scope.CLASS) {
            CaptureOptions options = options(context, found.get());
            SliceCapture capture = open(context, options, CLASS_FILE, ClassCapture.class);
            capture.mark("class started: " + testClass(context).getName());
        }
    }

    /** Ends a class-wide capture ({@link Scope#CLASS}): kept when any test of the class failed. */
    public void afterAll(ExtensionContext context) {
        SliceCapture capture = store(context).remove(ClassCapture.class, SliceCapture.class);
        if (capture == null) {
            return;
        }
        TestOutcome outcome = capture.classOutcome(TestOutcome.of(context.getExecutionException()));
        finish(context, capture, outcome);
    }

    /** Validates, then opens the test's slice, unless this is a {@code @TestFactory} (its dynamic tests get theirs). */
    public void beforeEach(ExtensionContext context) {
        if (!parameters(context).enabled()) {
            return;
        }
        checkDeclarations(context);
        Optional<DeclaredOptions> found = declarations.apply(context);
        if (found.isEmpty()) {
            return;
        }
        CaptureOptions options = options(context, found.get());
        if (options.scope() == Scope.CLASS) {
            if (classCapture(context).isEmpty()) {
                throw new org.junit.jupiter.api.extension.ExtensionConfigurationException(options.origin()
                        .describe("scope", "Scope.CLASS") + " on " + testName(context) + " needs a class: one file"
                        + " for a whole class is declared on the class (or, with @RegisterExtension, in a static"
                        + " field). Move it to the class, or use Scope.TEST here.");
            }
            return;
        }
        if (AnnotationSupport.isAnnotated(context.getTestMethod(), TestFactory.class)) {
            return;
        }
        open(context, options, null, TestCapture.class);
    }

    /** Marks the start of the test body. */
    public void beforeTestExecution(ExtensionContext context) {
        current(context).ifPresent(c -> c.mark("test started: " + testName(context)));
    }

    /** Marks the end of the test body. */
    public void afterTestExecution(ExtensionContext context) {
        current(context).ifPresent(c -> c.mark("test body ended: " + testName(context)
                + " " + TestOutcome.of(context.getExecutionException())));
    }

    /** Ends the slice with the outcome and applies keep/delete; names kept files. */
    public void afterEach(ExtensionContext context) {
        TestOutcome outcome = TestOutcome.of(context.getExecutionException());
        Optional<SliceCapture> own = ownCapture(context);
        if (own.isPresent()) {
            store(context).remove(TestCapture.class);
            finish(context, own.get(), outcome);
            return;
        }
        classCapture(context).ifPresent(c -> {
            c.mark("test finished: " + testName(context) + " " + outcome);
            c.testEnded(outcome);
        });
    }

    /** Whether {@code parameter} is something this extension injects. */
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return (type == TestCapture.class || type == CapturedTraffic.class) && declarations.apply(context).isPresent();
    }

    /** The test's capture. */
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        TestCapture capture = current(context).orElseThrow(() -> new org.junit.jupiter.api.extension.ParameterResolutionException(
                "No pcapunit capture is running for " + testName(context) + " (pcapunit.enabled=false, or a "
                        + "@TestFactory: dynamic tests reach theirs through the Store under TestCapture.NAMESPACE)."));
        if (parameter.getParameter().getType() == CapturedTraffic.class) {
            // Live: each assertion settles the capture and sees every packet sent before it.
            return CapturedTraffic.live(capture::snapshot, capture.file());
        }
        return capture;
    }

    /** Gives each dynamic test its own slice, kept or deleted from its own outcome. */
    public void interceptDynamicTest(InvocationInterceptor.Invocation<Void> invocation, ExtensionContext context)
            throws Throwable {
        Optional<DeclaredOptions> found = parameters(context).enabled() ? declarations.apply(context) : Optional.empty();
        if (found.isEmpty()) {
            invocation.proceed();
            return;
        }
        CaptureOptions options = options(context, found.get());
        if (options.scope() == Scope.CLASS) {
            // The dynamic tests' traffic goes into their class's file, like every other test's.
            invocation.proceed();
            return;
        }
        SliceCapture capture = open(context, options, null, TestCapture.class);
        capture.mark("test started: " + testName(context));
        Throwable failure = null;
        try {
            invocation.proceed();
        } catch (Throwable t) {
            failure = t;
        }
        store(context).remove(TestCapture.class);
        TestOutcome outcome = TestOutcome.of(Optional.ofNullable(failure));
        try {
            finish(context, capture, outcome);
        } catch (RuntimeException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Opens a slice stored under {@code key} ({@code TestCapture.class} for a test's own,
     * {@code ClassCapture.class} for a class's), in the file named for the test or, with
     * {@code fileName}, for the class.
     */
    private SliceCapture open(ExtensionContext context, CaptureOptions options, String fileName, Class<?> key) {
        Optional<CaptureException> unavailable = environment.get().unavailable();
        if (unavailable.isPresent()) {
            if (options.onUnavailable() == OnUnavailable.SKIP) {
                // A class-wide capture (beforeAll) or a dynamic test: no condition ran for them.
                throw new TestAbortedException(skipReason(context, unavailable.get()), unavailable.get());
            }
            String reason = unavailableReason(unavailable.get());
            throw new CaptureException(options.origin().describe("onUnavailable", "FAIL") + " on "
                    + testName(context) + ": no capture can be made here: " + reason
                    + (reason.endsWith(".") ? "" : ".") + " To skip such tests instead, use onUnavailable = SKIP or " + ConfigParameters.ON_UNAVAILABLE
                    + "=SKIP.", unavailable.get());
        }
        Store store = store(context);
        boolean wholeClass = key == ClassCapture.class;
        String name = wholeClass ? testClass(context).getName() : testName(context);
        if (!wholeClass && ownCapture(context).isPresent()) {
            throw new org.junit.jupiter.api.extension.ExtensionConfigurationException("Two pcapunit extensions "
                    + "capture " + testName(context) + " (@CaptureTraffic and a @RegisterExtension "
                    + "CaptureTrafficExtension). Use one of them.");
        }
        RunCaptures run = run(context);
        Path file = run.names().claim(options.outputDirectory(), testClass(context),
                fileName != null ? fileName : methodName(context), context.getUniqueId());
        try {
            Files.deleteIfExists(file);   // a stale file of an earlier run would mislead
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new CaptureException("Cannot prepare " + file + " for " + testName(context) + ": " + e
                    + ". Check that the output directory is writable.", e);
        }
        CaptureSlice slice = run.sharedCapture(options).slice(name, file);
        SliceCapture capture = new SliceCapture(slice, options, run, wholeClass ? "class" : "test", name);
        store.put(key, capture);
        return capture;
    }

    /**
     * Ends {@code capture}; a kept file is named in the test output and in a report entry
     * ({@code pcapunit.capture}), once it is written when the test failed (a write error then fails
     * the test), at once when it passed and is kept by ALWAYS (written in the background; the run
     * waits for it at its end). The file stays where it is, the one copy: it is not attached with
     * {@code publishFile}, which would copy it under the build's JUnit report directory.
     */
    private static void finish(ExtensionContext context, SliceCapture capture, TestOutcome outcome) {
        boolean keep = capture.options().keeps(outcome);
        CompletableFuture<CaptureResult> done = capture.finish(outcome, keep);
        if (!keep) {
            return;   // written and deleted in the background; the run waits for it at its end
        }
        Path file = capture.file();
        if (outcome.failed()) {
            try {
                done.join();
            } catch (CompletionException e) {
                throw new CaptureException("pcapunit could not write " + file + " for " + capture.describe() + ": "
                        + e.getCause(), e.getCause());
            }
        }
        Console.kept(file, capture.keptBecause(outcome));
        context.publishReportEntry("pcapunit.capture", file.toAbsolutePath().toString());
    }

    /** The nearest enclosing context of a test class (not of a method). */
    private static Optional<ExtensionContext> classContext(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestMethod().isEmpty() && c.getTestClass().isPresent()) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private void checkDeclarations(ExtensionContext context) {
        Optional<Class<?>> testClass = context.getTestClass();
        if (testClass.isEmpty()) {
            return;
        }
        RunCaptures run = run(context);
        if (run.checkedClasses(testClass.get())) {
            return;
        }
        Declarations.check(testClass.get());
        run.markChecked(testClass.get());
    }

    /** The resolved options of {@code declared}, once per run (resolving asks libpcap). */
    private CaptureOptions options(ExtensionContext context, DeclaredOptions declared) {
        RunCaptures run = run(context);
        CaptureOptions cached = run.optionsCache().get(declared);
        if (cached != null) {
            return cached;
        }
        CaptureOptions resolved = new OptionsResolver(parameters(context), environment.get())
                .resolve(declared, testName(context));
        run.optionsCache().put(declared, resolved);
        return resolved;
    }

    /** The test's own capture, else its class's (Scope.CLASS). */
    private static Optional<SliceCapture> current(ExtensionContext context) {
        Optional<SliceCapture> own = ownCapture(context);
        return own.isPresent() ? own : classCapture(context);
    }

    private static Optional<SliceCapture> ownCapture(ExtensionContext context) {
        return Optional.ofNullable(store(context).get(TestCapture.class, SliceCapture.class));
    }

    /** The nearest class-wide capture (the Store looks in the enclosing contexts too). */
    private static Optional<SliceCapture> classCapture(ExtensionContext context) {
        return Optional.ofNullable(store(context).get(ClassCapture.class, SliceCapture.class));
    }

    /** Store key of a class-wide capture. */
    private static final class ClassCapture {
        private ClassCapture() {
        }
    }

    private static Store store(ExtensionContext context) {
        return context.getStore(TestCapture.NAMESPACE);
    }

    /** The run's captures, created once in the root Store (closed by JUnit when the run ends). */
    public static RunCaptures run(ExtensionContext context) {
        Store root = context.getRoot().getStore(TestCapture.NAMESPACE);
        synchronized (ROOT_LOCK) {
            RunCaptures run = root.get(RunCaptures.class, RunCaptures.class);
            if (run == null) {
                run = new RunCaptures();
                root.put(RunCaptures.class, run);
            }
            return run;
        }
    }

    private static ConfigParameters parameters(ExtensionContext context) {
        return new ConfigParameters(context::getConfigurationParameter);
    }

    /** The test class; a dynamic test's context has none, its @TestFactory's class has. */
    private static Class<?> testClass(ExtensionContext context) {
        return classContext(context).map(ExtensionContext::getRequiredTestClass)
                .orElseThrow(() -> new IllegalStateException("pcapunit captures tests of test classes only; "
                        + context.getUniqueId() + " has none"));
    }

    private static String methodName(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Optional<Method> method = c.getTestMethod();
            if (method.isPresent()) {
                return method.get().getName();
            }
        }
        return "class";
    }

    /** E.g. {@code com.example.LoginTest.login() [2] "user=bob"}. */
    static String testName(ExtensionContext context) {
        String suffix = CaptureFileNames.invocationSuffix(context.getUniqueId());
        String base = testClass(context).getName() + "." + methodName(context) + "()";
        return suffix.isEmpty() ? base : base + " " + suffix + " \"" + context.getDisplayName() + "\"";
    }
}
