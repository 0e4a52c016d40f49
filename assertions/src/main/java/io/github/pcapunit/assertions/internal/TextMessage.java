package io.github.pcapunit.assertions.internal;

import org.assertj.core.description.Description;
import org.assertj.core.error.ErrorMessageFactory;
import org.assertj.core.presentation.Representation;

/**
 * An AssertJ error message that is already final text (built by core's message factories): only
 * the assertion's description ({@code as(...)}) is put in front, nothing is quoted or formatted.
 */
final class TextMessage implements ErrorMessageFactory {

    private final String text;

    /** A message with exactly {@code text}. */
    TextMessage(String text) {
        this.text = text;
    }

    @Override
    public String create() {
        return text;
    }

    @Override
    public String create(Description description) {
        return create(description, null);
    }

    @Override
    public String create(Description description, Representation representation) {
        String d = description == null ? null : description.value();
        return d == null || d.isEmpty() ? text : "[" + d + "] " + text;
    }
}
