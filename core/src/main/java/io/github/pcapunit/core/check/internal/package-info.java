/**
 * Failure messages and evaluation helpers behind {@link io.github.pcapunit.core.check.TrafficExpectations}.
 * <strong>Not API.</strong> One message factory per failure kind ({@code Should*} classes).
 */
package io.github.pcapunit.core.check.internal;
