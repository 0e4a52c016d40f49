package io.github.pcapunit.junit.internal;

import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.junit.Keep;
import io.github.pcapunit.junit.OnUnavailable;
import io.github.pcapunit.junit.Scope;
import java.util.Optional;

/**
 * What one {@code @CaptureTraffic} or one {@code CaptureTrafficExtension.builder()} wrote, before
 * configuration parameters and defaults fill the gaps; {@link OptionsResolver} turns it into the
 * {@link CaptureOptions} a capture runs with. The capture options travel as a change to
 * {@link CaptureSpec.Builder} and are never copied into fields of this module, so a new engine
 * option needs no code here. The extension's own options are {@code null} when not written.
 *
 * <pre>{@code
 * DeclaredOptions declared = AnnotatedOptions.of(testMethod.getAnnotation(CaptureTraffic.class));
 * CaptureOptions options = resolver.resolve(declared, "com.example.LoginTest.login()");
 * }</pre>
 *
 * @param origin how messages name what the user wrote
 * @param capture the capture options written, as a change to a spec builder
 * @param keep keep policy, or null
 * @param outputDirectory output directory as written, or null
 * @param onUnavailable behaviour when no capture can be made, or null
 * @param scope one file per test or per class, or null
 */
public record DeclaredOptions(Origin origin, SpecChange capture, Keep keep, String outputDirectory,
        OnUnavailable onUnavailable, Scope scope) {

    /**
     * Capture options as written, applied to a {@link CaptureSpec.Builder}. Implementations are
     * values (equal when they apply the same options), so resolved options can be cached by them.
     */
    public interface SpecChange {
        /**
         * Applies the options to {@code spec}.
         *
         * @throws io.github.pcapunit.core.InvalidCaptureSpecException when the engine refuses a value
         */
        void applyTo(CaptureSpec.Builder spec);

        /**
         * How the user wrote {@code attribute}'s value, e.g. {@code "tcp dport 1433"} with its
         * quotes or {@code -1}; empty when unknown.
         */
        default Optional<String> literal(String attribute) {
            return Optional.empty();
        }
    }

    /**
     * How messages name one attribute with its value, e.g. {@code @CaptureTraffic(snaplen = -1)}.
     */
    public interface Origin {
        /** The attribute and its value as the user wrote them. */
        String describe(String attribute, String valueLiteral);

        /** The origin of annotation attributes: {@code @CaptureTraffic(bufferSize = -1)}. */
        Origin ANNOTATION = (attribute, value) -> "@CaptureTraffic(" + attribute + " = " + value + ")";

        /** The origin of builder options: {@code CaptureTrafficExtension.builder() with bufferSize = -1}. */
        Origin BUILDER = (attribute, value) -> "CaptureTrafficExtension.builder() with " + attribute + " = " + value;
    }
}
