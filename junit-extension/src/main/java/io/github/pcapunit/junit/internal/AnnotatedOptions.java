package io.github.pcapunit.junit.internal;

import io.github.pcapunit.junit.CaptureTraffic;
import io.github.pcapunit.junit.Keep;
import io.github.pcapunit.junit.OnUnavailable;
import io.github.pcapunit.junit.Scope;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The {@link DeclaredOptions} of the {@code @CaptureTraffic} closest to a test: on its method (or
 * a meta-annotation there), else on its class, else on an enclosing class.
 *
 * <pre>{@code
 * Optional<DeclaredOptions> declared = AnnotatedOptions.find(context);
 * }</pre>
 */
public final class AnnotatedOptions {

    private AnnotatedOptions() {
    }

    /** The options of the closest annotation, empty when none applies to {@code context}. */
    public static Optional<DeclaredOptions> find(ExtensionContext context) {
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
        return found.map(AnnotatedOptions::of);
    }

    /** What {@code annotation} wrote; attributes at their default count as not written. */
    public static DeclaredOptions of(CaptureTraffic annotation) {
        return new DeclaredOptions(DeclaredOptions.Origin.ANNOTATION, SpecBinding.of(annotation),
                annotation.keep() == Keep.ON_FAILURE ? null : annotation.keep(),
                annotation.outputDirectory().isEmpty() ? null : annotation.outputDirectory(),
                annotation.onUnavailable() == OnUnavailable.FAIL ? null : annotation.onUnavailable(),
                annotation.scope() == Scope.TEST ? null : annotation.scope());
    }
}
