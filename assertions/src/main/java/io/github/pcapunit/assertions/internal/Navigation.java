package io.github.pcapunit.assertions.internal;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Creates the assert a navigation method ({@code packets()}, {@code connections()}) returns: a
 * plain one, or — inside soft assertions — a soft proxy that collects its failures too.
 */
public final class Navigation {

    private Navigation() {
    }

    /**
     * The sub-assert of type {@code type} over {@code actual}, with the parent's description.
     *
     * @param soft the soft assertions the parent belongs to, or {@code null}
     * @param plain creates the hard assert
     */
    public static <S extends AbstractAssert<S, A>, A> S create(SoftAssertionsProvider soft, Class<S> type,
                                                               Class<A> actualType, A actual,
                                                               java.util.function.Function<A, S> plain,
                                                               AbstractAssert<?, ?> parent) {
        S sub = soft == null ? plain.apply(actual) : soft.proxy(type, actualType, actual);
        if (parent.info.description() != null) {
            sub.describedAs(parent.info.description());
        }
        return sub;
    }
}
