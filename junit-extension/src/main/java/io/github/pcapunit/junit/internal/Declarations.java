package io.github.pcapunit.junit.internal;

import io.github.pcapunit.junit.CaptureTraffic;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/** Refuses {@code @CaptureTraffic} on methods that are not tests, where it would silently do nothing. */
final class Declarations {

    private Declarations() {
    }

    static void check(Class<?> testClass) {
        List<Method> misplaced = ReflectionSupport.findMethods(testClass,
                m -> AnnotationSupport.isAnnotated(m, CaptureTraffic.class)
                        && !AnnotationSupport.isAnnotated(m, Testable.class),
                HierarchyTraversalMode.TOP_DOWN);
        if (!misplaced.isEmpty()) {
            Method m = misplaced.get(0);
            throw new ExtensionConfigurationException("@CaptureTraffic on " + m.getDeclaringClass().getName() + "."
                    + m.getName() + "() has no effect: that method is not a test. Put it on a @Test, "
                    + "@ParameterizedTest, @RepeatedTest or @TestFactory method, or on the test class.");
        }
    }
}
