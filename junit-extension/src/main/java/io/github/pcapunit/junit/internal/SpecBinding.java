package io.github.pcapunit.junit.internal;

import io.github.pcapunit.core.capture.CaptureSpec;
import io.github.pcapunit.junit.CaptureTraffic;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Carries {@code @CaptureTraffic}'s capture attributes into {@link CaptureSpec.Builder}: every
 * attribute except the extension's own ({@link #EXTENSION_ATTRIBUTES}) calls the builder method of
 * the same name with its value, unless it is left at its default, which means "the engine's
 * default". This is the only place an attribute meets the engine, so a new capture option is one
 * annotation attribute named like its builder method; an attribute without a matching method
 * fails the first use of the annotation (and this module's build).
 *
 * <pre>{@code
 * @CaptureTraffic(filter = "udp", bufferSize = 4 << 20)   // calls filter("udp"), bufferSize(4194304)
 * }</pre>
 *
 * <p>How types bind: {@code String}, {@code int} and enum attributes call {@code name(value)},
 * {@code String[]} calls {@code name(String...)}, {@code boolean} calls {@code name()} when
 * {@code true}. Flags apply after the other attributes, so a shorthand such as
 * {@code headersOnly} overrides the {@code snaplen} it sets.
 */
public final class SpecBinding {

    /** The attributes that configure the extension, not the capture; not carried into the spec. */
    public static final Set<String> EXTENSION_ATTRIBUTES = Set.of("keep", "outputDirectory", "onUnavailable", "scope");

    private static final List<Bound> BOUND = bind();

    private SpecBinding() {
    }

    /** The change {@code annotation} makes to a spec builder; equal for equal annotations. */
    public static DeclaredOptions.SpecChange of(CaptureTraffic annotation) {
        return new Annotated(Objects.requireNonNull(annotation, "annotation"));
    }

    /** Names of the attributes carried into the spec, in the order they are applied. */
    public static List<String> carriedAttributes() {
        return BOUND.stream().map(b -> b.attribute().getName()).collect(Collectors.toList());
    }

    /** One attribute and the builder method it calls. */
    private record Bound(Method attribute, Method setter) {

        boolean isFlag() {
            return attribute.getReturnType() == boolean.class;
        }

        void apply(CaptureTraffic annotation, CaptureSpec.Builder spec) {
            Object value = value(annotation, attribute);
            if (Objects.deepEquals(value, attribute.getDefaultValue())) {
                return;
            }
            try {
                if (isFlag()) {
                    setter.invoke(spec);
                } else {
                    setter.invoke(spec, value);
                }
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                throw new IllegalStateException("CaptureSpec.Builder." + setter.getName() + " failed", e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("CaptureSpec.Builder." + setter.getName() + " is not public", e);
            }
        }
    }

    /** The change of one annotation; a record, so equal annotations give equal changes. */
    private record Annotated(CaptureTraffic annotation) implements DeclaredOptions.SpecChange {

        @Override
        public void applyTo(CaptureSpec.Builder spec) {
            for (Bound bound : BOUND) {
                bound.apply(annotation, spec);
            }
        }

        @Override
        public Optional<String> literal(String attribute) {
            return BOUND.stream().filter(b -> b.attribute().getName().equals(attribute)).findFirst()
                    .map(b -> Literals.of(value(annotation, b.attribute())));
        }
    }

    private static List<Bound> bind() {
        List<Bound> bound = new ArrayList<>();
        List<String> unbound = new ArrayList<>();
        for (Method attribute : CaptureTraffic.class.getDeclaredMethods()) {
            if (EXTENSION_ATTRIBUTES.contains(attribute.getName())) {
                continue;
            }
            Optional<Method> setter = setter(attribute);
            if (setter.isPresent()) {
                bound.add(new Bound(attribute, setter.get()));
            } else {
                unbound.add(attribute.getName());
            }
        }
        if (!unbound.isEmpty()) {
            throw new IllegalStateException("@CaptureTraffic attributes " + unbound + " have no CaptureSpec.Builder"
                    + " method of the same name and type (a boolean attribute needs a method without parameters"
                    + " and the default false): rename them, add the method, or list them in"
                    + " SpecBinding.EXTENSION_ATTRIBUTES");
        }
        bound.sort(Comparator.comparing(Bound::isFlag).thenComparing(b -> b.attribute().getName()));
        return List.copyOf(bound);
    }

    private static Optional<Method> setter(Method attribute) {
        Class<?> type = attribute.getReturnType();
        boolean flag = type == boolean.class;
        if (flag && !Boolean.FALSE.equals(attribute.getDefaultValue())) {
            return Optional.empty();
        }
        Class<?>[] parameters = flag ? new Class<?>[0] : new Class<?>[] {type};
        return Arrays.stream(CaptureSpec.Builder.class.getMethods())
                .filter(m -> m.getName().equals(attribute.getName()))
                .filter(m -> Arrays.equals(m.getParameterTypes(), parameters))
                .filter(m -> m.getReturnType() == CaptureSpec.Builder.class)
                .findFirst();
    }

    private static Object value(CaptureTraffic annotation, Method attribute) {
        try {
            return attribute.invoke(annotation);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read @CaptureTraffic." + attribute.getName(), e);
        }
    }
}
