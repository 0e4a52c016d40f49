/**
 * Failure messages and evaluation helpers behind {@code io.github.pcapunit.core.TrafficExpectations}.
 * <strong>Not API</strong>: anything here may change or disappear in any release without notice.
 *
 * <p>One message factory per failure kind ({@code Should*} classes), each producing the
 * "Expecting ... to ... but ..." text that both the AssertJ assertions and the Maven plugin's
 * {@code capture:verify} show, so a failing build and a failing test read the same.
 */
package io.github.pcapunit.core.internal.expect;
