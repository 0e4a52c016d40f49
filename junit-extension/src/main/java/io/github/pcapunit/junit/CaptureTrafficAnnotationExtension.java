package io.github.pcapunit.junit;

import io.github.pcapunit.junit.internal.AnnotatedOptions;

/**
 * The extension {@link CaptureTraffic} registers: {@link CaptureTrafficExtension}'s behaviour, fed
 * by the closest annotation (method, class, enclosing class). Package-private: the annotation is
 * the API.
 */
final class CaptureTrafficAnnotationExtension extends CaptureTrafficExtension {

    /** Called by JUnit for {@code @ExtendWith(CaptureTrafficAnnotationExtension.class)}. */
    CaptureTrafficAnnotationExtension() {
        super(AnnotatedOptions::find);
    }
}
